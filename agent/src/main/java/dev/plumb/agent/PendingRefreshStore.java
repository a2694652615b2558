package dev.plumb.agent;

import dev.plumb.catalog.Json;
import dev.plumb.engine.PendingRefreshes;
import dev.plumb.engine.RefreshJournal;
import dev.plumb.system.AtomicFiles;
import dev.plumb.system.FileAttributes;
import dev.plumb.system.FileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/**
 * {@code STATE/pending-refresh.json}: the refreshes that did not succeed, by host, then by resource id, with the
 * ids of what notified them. Only an apply, which holds the run lock, writes it: atomically, mode 0600, each time a
 * refresh becomes due or succeeds (so that a killed run loses none), and once more at the end of the run.
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

    /** Keeps {@code pending} as all that is pending on {@code host}. */
    synchronized void save(String host, PendingRefreshes pending) throws IOException {
        if (pending.byResource().isEmpty()) {
            if (byHost.remove(host) == null) {
                return;
            }
        } else {
            byHost.put(host, pending.byResource());
        }
        write();
    }

    /** Records the refreshes of {@code host} as they become due and succeed, each at once. */
    RefreshJournal journal(String host) {
        return new RefreshJournal() {
            @Override
            public void due(String id, String notifier) {
                update(host, id, notifiers -> {
                    Set<String> more = new LinkedHashSet<>(notifiers);
                    more.add(notifier);
                    return List.copyOf(more);
                });
            }

            @Override
            public void done(String id) {
                update(host, id, notifiers -> List.of());
            }
        };
    }

    private synchronized void update(String host, String id, UnaryOperator<List<String>> change) {
        Map<String, List<String>> resources = new TreeMap<>(byHost.getOrDefault(host, Map.of()));
        List<String> before = resources.getOrDefault(id, List.of());
        List<String> after = change.apply(before);
        if (after.equals(before)) {
            return;
        }
        if (after.isEmpty()) {
            resources.remove(id);
        } else {
            resources.put(id, after);
        }
        if (resources.isEmpty()) {
            byHost.remove(host);
        } else {
            byHost.put(host, resources);
        }
        try {
            write();
        } catch (IOException e) {
            // The run goes on: the refresh itself is not at stake, only its record should this run be killed, and the
            // save at the end of the run fails with this error if the state directory stays unwritable.
        }
    }

    private void write() throws IOException {
        AtomicFiles.write(file, Json.MAPPER.writeValueAsBytes(byHost), new FileAttributes("0600", null, null));
    }
}
