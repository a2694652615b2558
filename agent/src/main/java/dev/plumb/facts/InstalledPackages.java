package dev.plumb.facts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The packages dpkg has installed, read straight from its database, {@code /var/lib/dpkg/status} (running
 * {@code dpkg-query} would cost a process): {@code facts.packages.NAME.version} and {@code .arch}. A package installed
 * for several architectures is given for the host's own, else the first in the file.
 */
final class InstalledPackages {

    /** Far above any real system's database (a desktop with 5000 packages has about 8 MiB). */
    static final int SIZE_LIMIT = 64 << 20;
    /** dpkg's database, below the root facts are read from. */
    static final String STATUS = "var/lib/dpkg/status";

    private InstalledPackages() {
    }

    /** The installed packages by name; none when there is no dpkg database, as on a host without dpkg. */
    static Optional<Map<String, Map<String, String>>> read(Path status, String nativeArch) throws IOException {
        byte[] content;
        try (InputStream in = Files.newInputStream(status)) {
            content = in.readNBytes(SIZE_LIMIT + 1);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (content.length > SIZE_LIMIT) {
            throw new IOException(status + " is larger than " + (SIZE_LIMIT >> 20) + " MiB");
        }
        return Optional.of(parse(new String(content, StandardCharsets.UTF_8), nativeArch));
    }

    /**
     * The installed packages of a dpkg status file: stanzas of {@code Field: value} lines, separated by blank lines,
     * of which only {@code Package}, {@code Status}, {@code Version} and {@code Architecture} matter here.
     */
    static Map<String, Map<String, String>> parse(String status, String nativeArch) {
        Map<String, Map<String, String>> packages = new TreeMap<>();
        Stanza stanza = new Stanza();
        int length = status.length();
        for (int start = 0; start < length; ) {
            int end = status.indexOf('\n', start);
            if (end < 0) {
                end = length;
            }
            if (end == start) {
                stanza.addTo(packages, nativeArch);
                stanza = new Stanza();
            } else if (status.startsWith("Package: ", start)) {
                stanza.name = status.substring(start + 9, end).strip();
            } else if (status.startsWith("Version: ", start)) {
                stanza.version = status.substring(start + 9, end).strip();
            } else if (status.startsWith("Architecture: ", start)) {
                stanza.arch = status.substring(start + 14, end).strip();
            } else if (status.startsWith("Status: ", start)) {
                // "want flag state": only the state says whether the files are there, as in "install ok installed".
                stanza.installed = status.substring(start + 8, end).strip().endsWith(" installed");
            }
            start = end + 1;
        }
        stanza.addTo(packages, nativeArch);
        return packages;
    }

    /** The fields of one package's stanza that matter here. */
    private static final class Stanza {
        String name;
        String version;
        String arch = "";
        boolean installed;

        /** Adds this package when it is installed; of two architectures, the host's own wins. */
        void addTo(Map<String, Map<String, String>> packages, String nativeArch) {
            if (!installed || name == null || version == null) {
                return;
            }
            Map<String, String> known = packages.get(name);
            if (known == null || !known.get("arch").equals(nativeArch) && arch.equals(nativeArch)) {
                packages.put(name, Map.of("version", version, "arch", arch));
            }
        }
    }
}
