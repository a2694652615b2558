package dev.plumb.resources;

import static dev.plumb.Fixtures.instantiate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.api.Diagnostic;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The apt_repository resource's rules and the deb822 text it writes, without touching /etc/apt. */
class AptRepositoryRulesTest {

    private static final String KEY = """
            -----BEGIN PGP PUBLIC KEY BLOCK-----

            mDMEZ0000BYJKwYBBAHaRw8BAQdA
            -----END PGP PUBLIC KEY BLOCK-----
            """;

    private static AptRepositoryResource repository(String name, Object... keysAndValues) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            attributes.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return instantiate("apt_repository", name, attributes);
    }

    private static List<String> problems(AptRepositoryResource resource) {
        return resource.validate().stream().map(d -> d.attribute() + ": " + d.summary()).toList();
    }

    @Test
    void theSourceIsDeb822NamingItsOwnKey() {
        AptRepositoryResource nginx = repository("nginx", "uris", List.of("https://nginx.org/packages/debian"),
                "suites", List.of("bookworm"), "components", List.of("nginx"), "architectures", List.of("amd64", "arm64"),
                "key", KEY);

        assertThat(nginx.validate()).isEmpty();
        assertThat(nginx.deb822()).isEqualTo("""
                Types: deb
                URIs: https://nginx.org/packages/debian
                Suites: bookworm
                Components: nginx
                Architectures: amd64 arm64
                Signed-By: /etc/apt/keyrings/nginx.asc
                """);
        assertThat(nginx.sourcesFile()).hasToString("/etc/apt/sources.list.d/nginx.sources");
    }

    @Test
    void aSourceNeedsItsUrisSuitesComponentsAndAnArmoredKey() {
        assertThat(problems(repository("nginx"))).containsExactly(
                "uris: is required: give at least one",
                "suites: is required: give at least one",
                "key: is required: a repository is trusted only with its signing key; give the ASCII-armored public key");
        assertThat(problems(repository("my repo", "uris", List.of("https://a b"), "suites", List.of("bookworm"),
                "key", "mDMEZ0000")).stream().map(p -> p.substring(0, p.indexOf(':'))))
                .containsExactly("name", "uris", "components", "key");
        assertThat(problems(repository("flat", "uris", List.of("file:///srv/repo"), "suites", List.of("./"),
                "components", List.of("main"), "key", KEY)))
                .containsExactly("components: must be left out for a flat repository (a suite ending in /)");
        assertThat(repository("old", "ensure", "absent").validate()).extracting(Diagnostic::attribute).isEmpty();
    }
}
