package dev.plumb.compiler;

import dev.plumb.catalog.Catalog;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.CodeSource;
import java.util.Optional;

/**
 * Which build of plumb is running, told by the files its code came from (the jar, or in a build tree the class
 * directories of the compiler and of the agent): what one build compiled, another need not compile alike.
 */
final class PlumbBuild {

    private static final Optional<String> IDENTITY = identityOf(CompileCache.class, Catalog.class);

    private PlumbBuild() {
    }

    /** This build's identity, or empty when where its code came from cannot be told. */
    static Optional<String> identity() {
        return IDENTITY;
    }

    private static Optional<String> identityOf(Class<?>... classes) {
        StringBuilder identity = new StringBuilder();
        for (Class<?> type : classes) {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            try {
                Path path = Path.of(source.getLocation().toURI());
                if (Files.isDirectory(path)) {
                    ProjectFingerprint tree = ProjectFingerprint.of(path, "").orElse(null);
                    if (tree == null) {
                        return Optional.empty();
                    }
                    identity.append(path).append(' ').append(tree.sha256()).append('\n');
                } else {
                    BasicFileAttributes jar = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    identity.append(path).append(' ').append(jar.size()).append(' ').append(jar.lastModifiedTime().toMillis())
                            .append(' ').append(jar.fileKey()).append('\n');
                }
            } catch (URISyntaxException | IOException | IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.of(identity.toString());
    }
}
