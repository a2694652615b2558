package dev.plumb.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Json;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ProjectSource;
import dev.plumb.catalog.RunReport;
import dev.plumb.facts.Facts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS API of one real server on loopback, with a real git repository and the embedded store. */
class ServerApiTest {

    static final byte[] FACTS = Json.MAPPER.writeValueAsBytes(Facts.ofThisHost());
    static final String UNAUTHORIZED = "{\"error\":\"unauthorized\"}";
    static final String FORBIDDEN = "{\"error\":\"forbidden\"}";

    @TempDir
    Path temp;

    FleetRepository repository;
    String first;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        repository = FleetRepository.create(temp.resolve("repo"), temp.resolve("web1"), temp.resolve("web2"));
        first = repository.commitMotd("hello");
        server = TestServer.start(temp.resolve("state"), repository.directory());
    }

    @AfterEach
    void stop() {
        server.close();
        repository.close();
    }

    @Test
    void caIsServedToAnyoneAsPem() throws Exception {
        ServerClient.Response response = server.as("").get("/api/v1/ca");
        assertThat(response.status()).isEqualTo(200);
        assertThat(text(response)).isEqualTo(Files.readString(server.caPem()));
    }

    @Test
    void everyOtherCallWithoutAKnownCredentialIsRefusedRevealingNothing() throws Exception {
        for (ServerClient client : List.of(server.as(""), server.as("not-a-credential"))) {
            for (ServerClient.Response response : List.of(client.get("/api/v1/hosts"), client.get("/api/v1/no-such-call"),
                    client.get("/nothing/here"), client.post("/api/v1/hosts/web1/catalog", FACTS),
                    client.post("/api/v1/hooks/git", new byte[0]))) {
                assertThat(response.status()).isEqualTo(401);
                assertThat(compact(response)).isEqualTo(UNAUTHORIZED);
            }
        }
    }

    @Test
    void aHostReadsItsOwnCatalogAtTheServedCommitAndNothingElse() throws Exception {
        ServerClient web1 = server.as(enroll("web1"));
        enroll("web2");

        ServerClient.Response catalog = web1.post("/api/v1/hosts/web1/catalog", FACTS);
        assertThat(catalog.status()).isEqualTo(200);
        assertThat(text(catalog)).contains("\"commit\" : \"" + first + "\"", temp.resolve("web1") + "/motd")
                .doesNotContain(temp.resolve("web2").toString());

        for (ServerClient.Response response : List.of(web1.post("/api/v1/hosts/web2/catalog", FACTS),
                web1.post("/api/v1/hosts/web2/reports", report("web2")), web1.get("/api/v1/hosts"),
                web1.get("/api/v1/hosts/web1"), web1.post("/api/v1/enroll-tokens", json(Map.of("host", "web3"))),
                web1.delete("/api/v1/hosts/web2/credential"), web1.post("/api/v1/hooks/git", new byte[0]))) {
            assertThat(response.status()).isEqualTo(403);
            assertThat(compact(response)).isEqualTo(FORBIDDEN);
        }
    }

    @Test
    void anEnrolmentTokenServesOnceAndForItsHostOnly() throws Exception {
        String token = issueToken("web1");
        assertThat(redeem("web2", token).status()).isEqualTo(401);
        assertThat(redeem("web1", token).status()).isEqualTo(200);
        ServerClient.Response again = redeem("web1", token);
        assertThat(again.status()).isEqualTo(401);
        assertThat(compact(again)).isEqualTo(UNAUTHORIZED);
    }

    @Test
    void aRevokedCredentialIsRefused() throws Exception {
        ServerClient web1 = server.as(enroll("web1"));
        assertThat(web1.post("/api/v1/hosts/web1/catalog", FACTS).status()).isEqualTo(200);
        assertThat(server.admin().delete("/api/v1/hosts/web1/credential").status()).isEqualTo(200);
        ServerClient.Response refused = web1.post("/api/v1/hosts/web1/catalog", FACTS);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(compact(refused)).isEqualTo(UNAUTHORIZED);
    }

    @Test
    void aReportIsCheckedThenCountedOnce() throws Exception {
        ServerClient web1 = server.as(enroll("web1"));
        String runId = UUID.randomUUID().toString();
        byte[] report = report("web1", runId);

        assertThat(compact(web1.post("/api/v1/hosts/web1/reports", report)))
                .isEqualTo("{\"duplicate\":false,\"runId\":\"" + runId + "\"}");
        assertThat(compact(web1.post("/api/v1/hosts/web1/reports", report)))
                .isEqualTo("{\"duplicate\":true,\"runId\":\"" + runId + "\"}");
        assertThat(server.admin().get("/api/v1/hosts/web1/runs").body()).asString(StandardCharsets.UTF_8)
                .containsOnlyOnce(runId);
        assertThat(text(server.admin().get("/api/v1/runs/" + runId))).contains("\"runId\" : \"" + runId + "\"");

        ServerClient.Response otherHost = web1.post("/api/v1/hosts/web1/reports", report("web2"));
        assertThat(otherHost.status()).isEqualTo(400);
        assertThat(otherHost.error()).isEqualTo("the report is of host web2, posted as web1");
        ServerClient.Response notUuid = web1.post("/api/v1/hosts/web1/reports", report("web1", "run-1"));
        assertThat(notUuid.error()).isEqualTo("report runId run-1 is not a UUID");
        ServerClient.Response malformed = web1.post("/api/v1/hosts/web1/reports", "{\"runId\":".getBytes(StandardCharsets.UTF_8));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.error()).startsWith("not a run report: ");
    }

    @Test
    void bodiesOverTheLimitAreRefusedWith413() throws Exception {
        ServerClient web1 = server.as(enroll("web1"));
        ServerClient.Response response = web1.post("/api/v1/hosts/web1/catalog", new byte[(1 << 20) + 1]);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.error()).isEqualTo("request body over 1024 KiB");
    }

    @Test
    void aCompressedBodyIsBoundedAsItInflates() throws Exception {
        ServerClient web1 = server.as(enroll("web1"));
        // About 1 KiB on the wire, over the 1 MiB limit once inflated.
        ServerClient.Response response = web1.postCompressed("/api/v1/hosts/web1/catalog", new byte[(1 << 20) + 1]);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.error()).isEqualTo("request body over 1024 KiB");
        assertThat(web1.postCompressed("/api/v1/hosts/web1/catalog", FACTS).status()).isEqualTo(200);
    }

    @Test
    void aBrokenCommitIsNeverServedAndItsErrorSaysWhere() throws Exception {
        ServerClient web1 = server.as(enroll("web1"));
        assertThat(web1.post("/api/v1/hosts/web1/catalog", FACTS).status()).isEqualTo(200);

        String broken = repository.commitBroken();
        assertThat(server.admin().post("/api/v1/hooks/git", new byte[0]).status()).isEqualTo(202);
        awaitUntil(() -> text(server.admin().get("/api/v1/commits")).contains(broken));

        String commits = text(server.admin().get("/api/v1/commits"));
        assertThat(commits).contains("roles/site.yaml:4:5");
        assertThat(server.server.servedCommit()).isEqualTo(first);
        assertThat(text(web1.post("/api/v1/hosts/web1/catalog", FACTS))).contains("\"commit\" : \"" + first + "\"");

        String fixed = repository.commitMotd("fixed");
        server.admin().post("/api/v1/hooks/git", new byte[0]);
        awaitUntil(() -> fixed.equals(server.server.servedCommit()));
        assertThat(text(web1.post("/api/v1/hosts/web1/catalog", FACTS))).contains("\"commit\" : \"" + fixed + "\"",
                "fixed\\n");
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    String enroll(String host) throws Exception {
        ServerClient.Response enrolled = redeem(host, issueToken(host));
        assertThat(enrolled.status()).isEqualTo(200);
        return (String) Json.MAPPER.readValue(enrolled.body(), Map.class).get("credential");
    }

    String issueToken(String host) throws Exception {
        ServerClient.Response issued = server.admin().post("/api/v1/enroll-tokens", json(Map.of("host", host)));
        assertThat(issued.status()).isEqualTo(200);
        return (String) Json.MAPPER.readValue(issued.body(), Map.class).get("token");
    }

    ServerClient.Response redeem(String host, String token) throws Exception {
        return server.as("").post("/api/v1/enroll", json(Map.of("host", host, "token", token)));
    }

    static byte[] report(String host) {
        return report(host, UUID.randomUUID().toString());
    }

    static byte[] report(String host, String runId) {
        return json(new RunReport(runId, host, Mode.APPLY, "0".repeat(64), new ProjectSource("a".repeat(40), false),
                Instant.now().toString(), 3, RunReport.Summary.of(List.of()), List.of(), null));
    }

    static byte[] json(Object value) {
        return Json.MAPPER.writeValueAsBytes(value);
    }

    static String text(ServerClient.Response response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** The body without the layout: {@code {"error":"forbidden"}}. */
    static String compact(ServerClient.Response response) {
        return text(response).replaceAll("\\s+", "");
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits, at most 20 s, for {@code condition}; the fetch a hook starts runs on the server's own thread. */
    static void awaitUntil(Condition condition) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.holds()) {
            assertThat(Instant.now()).as("condition not met within 20 s").isBefore(deadline);
            Thread.sleep(20);
        }
    }
}
