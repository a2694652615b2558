package dev.plumb.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.SerializationFeature;

/** The store's records are the API's JSON as the server writes them with plumb's mapper. */
class StoreJsonTest {

    @Test
    void aHostStatusReadsAsTheApiDocumentsIt() {
        HostStatus status = new HostStatus("web1", HostState.FAILING_CHECKS, "c1", Instant.parse("2026-11-29T12:00:00Z"),
                "run-1", new RunCounts(200, 0, 0, 0, 1));

        assertThat(Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(status)).isEqualTo("{\"host\":\"web1\",\"status\":\"failing_checks\","
                + "\"commit\":\"c1\",\"lastReportAt\":\"2026-11-29T12:00:00Z\",\"lastRunId\":\"run-1\","
                + "\"summary\":{\"resources\":200,\"changed\":0,\"failed\":0,\"skipped\":0,\"failedChecks\":1}}");
    }

    @Test
    void aHostDetailEmbedsItsFactsAsJson() {
        HostDetail detail = new HostDetail("web1", HostState.NEVER_REPORTED, null, null, null, null, true, "c2",
                Instant.parse("2026-11-29T12:00:00Z"), Instant.parse("2026-11-29T12:00:00Z"), "{\"cpus\":2}");

        assertThat(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(detail)).get("facts").get("cpus").asInt())
                .isEqualTo(2);
        assertThat(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(detail)).get("status").asString())
                .isEqualTo("never_reported");
    }
}
