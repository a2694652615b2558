package dev.plumb.agent;

import dev.plumb.catalog.Json;
import dev.plumb.engine.PendingRefreshes;
import dev.plumb.system.AtomicFiles;
import dev.plumb.system.FileAttributes;
import dev.plumb.system.FileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/**
 * {@code STATE/pending-refresh.json}: the refreshes that did not succeed, by host, then by resource id, with the
 * ids of what notified them. Only an apply, which holds the run lock, writes it, atomically.
 */
final class PendingRefreshStore {

    private static final TypeReference<Map<String, Map<String, List<String>>>> FORMAT = new TypeReference<>() { };

    private final Path file;
    private final Map<String, Map<String, List<String>>> byHost;

    private PendingRefreshStore(Path file, Map<String, Map<String, List<String>>> byHost) {
        this.file = file;
        this.byHost = byHost;
    }

    static PendingRefreshStore load(Path stateDirectory) throws RunRefusedException {
        Path file = stateDirectory.resolve("pending-refresh.json");
        try {
            return new PendingRefreshStore(file, new TreeMap<>(Json.MAPPER.readValue(Files.readAllBytes(file), FORMAT)));
        } catch (NoSuchFileException e) {
            return new PendingRefreshStore(file, new TreeMap<>());
        } catch (IOException e) {
            throw new RunRefusedException(file + ": " + FileErrors.describe(e) + "; nothing was changed");
        } catch (JacksonException e) {
            throw new RunRefusedException(file + ": not a record of pending refreshes (" + e.getOriginalMessage()
                    + "); nothing was changed. Remove it to forget the refreshes it holds");
        }
    }

    PendingRefreshes of(String host) {
        return new PendingRefreshes(byHost.getOrDefault(host, Map.of()));
    }

    void save(String host, PendingRefreshes pending) throws IOException {
        if (pending.byResource().isEmpty()) {
            if (byHost.remove(host) == null) {
                return;
            }
        } else {
            byHost.put(host, pending.byResource());
        }
        AtomicFiles.write(file, Json.MAPPER.writeValueAsBytes(byHost), new FileAttributes("0600", null, null));
    }
}
