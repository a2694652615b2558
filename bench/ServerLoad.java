// The load generator of bench/server: simulated agents on loopback, over HTTPS as real agents talk to plumb server.
// Run with plumb's jar on the class path (java -cp plumb.jar bench/ServerLoad.java ...): reports and catalogs are
// plumb's own types, so what the server takes is what agents send.
//
//   ServerLoad URL ADMIN_TOKEN_FILE CA_PEM FACTS_JSON HOSTS REPORTS RESOURCES THREADS SERVER_PID
//
// 1. enrols HOSTS hosts (bench-0001 ...); 2. posts rounds of REPORTS reports of RESOURCES resources each (5 changed,
// the rest in sync), spread over the hosts, THREADS at a time, until the server's JIT has warmed up; 3. posts REPORTS
// more and prints the ingest rate, and the CPU time the server (process SERVER_PID) and this generator spent per
// report; 4. posts them again as hosts they are not of, which the server reads whole and refuses, and prints that
// rate: the floor of ingest on this machine, everything but the store; 5. has every host fetch its catalog once
// (compiled and cached), then five more times each, and prints the latency percentiles of those.

import dev.plumb.api.Change;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ProjectSource;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

public class ServerLoad {

    /** As long as the names and run ids patched over them: bench-0001, a UUID. */
    static final String HOST_PLACEHOLDER = "bench-0000";
    static final String RUN_PLACEHOLDER = "00000000-0000-0000-0000-000000000000";

    static HttpClient http;
    static URI server;

    public static void main(String[] args) throws Exception {
        server = URI.create(args[0]);
        String admin = Files.readString(Path.of(args[1])).strip();
        byte[] facts = Files.readAllBytes(Path.of(args[3]));
        int hosts = Integer.parseInt(args[4]);
        if (hosts < 2) {
            throw new IllegalArgumentException("HOSTS is " + hosts + ": at least 2, as the floor posts each report as "
                    + "another host");
        }
        int reports = Integer.parseInt(args[5]);
        int resources = Integer.parseInt(args[6]);
        int threads = Integer.parseInt(args[7]);
        long serverPid = Long.parseLong(args[8]);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trusting(Path.of(args[2])))
                .executor(Executors.newFixedThreadPool(4)).build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);

        String[] names = new String[hosts];
        String[] credentials = new String[hosts];
        run(pool, hosts, i -> {
            names[i] = String.format("bench-%04d", i + 1);
            Map<?, ?> issued = json(post("/api/v1/enroll-tokens", admin, Json.MAPPER.writeValueAsBytes(Map.of("host", names[i]))));
            Map<?, ?> enrolled = json(post("/api/v1/enroll", "", Json.MAPPER.writeValueAsBytes(
                    Map.of("host", names[i], "token", issued.get("token")))));
            credentials[i] = (String) enrolled.get("credential");
        });

        byte[] template = Json.MAPPER.writeValueAsBytes(report(resources));
        // Untimed rounds first, until one is less than 5% faster than the one before (at most 8): the server's JIT
        // compiles its hot paths during these, as it has long done on a server that has been up for a while. The first
        // rounds of a fresh server run at about half its speed, its compiler threads taking a third of its CPU.
        ReportBodies reportBodies = new ReportBodies(template, indexOf(template, HOST_PLACEHOLDER),
                indexOf(template, RUN_PLACEHOLDER), names);
        double previous = 0;
        int round = 0;
        while (round < 8) {
            round++;
            byte[][] warmUp = reportBodies.make(pool, reports);
            double rate = reports / ingest(pool, warmUp, names, credentials, new AtomicInteger());
            if (rate < previous * 1.05) {
                break;
            }
            previous = rate;
        }
        System.out.printf("warm-up: %d rounds of %d reports%n", round, reports);
        byte[][] bodies = reportBodies.make(pool, reports);
        Cpu cpu = new Cpu(serverPid);
        AtomicInteger duplicates = new AtomicInteger();
        double seconds = ingest(pool, bodies, names, credentials, duplicates);
        System.out.printf("reports: %d of %d resources (%d KiB each, %d KiB gzip-compressed) in %.1f s: %.0f reports/s (%d duplicates)%n",
                reports, resources, template.length / 1024, bodies[0].length / 1024, seconds, reports / seconds, duplicates.get());
        cpu.print(reports);

        // The floor: the same requests, each posted as the host after the one it is of, which the server refuses
        // (400) once it has authenticated the caller, inflated and read the whole report: what HTTPS, the credential
        // and the JSON cost on this machine, load generator included, with nothing stored.
        long start = System.nanoTime();
        cpu = new Cpu(serverPid);
        run(pool, reports, i -> {
            int poster = (i + 1) % hosts;
            expect(400, "/api/v1/hosts/" + names[poster] + "/reports", credentials[poster], bodies[i]);
        });
        seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("floor: the same %d reports read and refused, none stored, in %.1f s: %.0f reports/s%n",
                reports, seconds, reports / seconds);
        cpu.print(reports);

        start = System.nanoTime();
        run(pool, hosts, i -> post("/api/v1/hosts/" + names[i] + "/catalog", credentials[i], facts));
        System.out.printf("catalogs: first request of each of %d hosts (compiled) in %.1f s%n", hosts,
                (System.nanoTime() - start) / 1e9);
        int rounds = 5;
        long[] micros = new long[hosts * rounds];
        run(pool, hosts * rounds, i -> {
            long sent = System.nanoTime();
            post("/api/v1/hosts/" + names[i % hosts] + "/catalog", credentials[i % hosts], facts);
            micros[i] = (System.nanoTime() - sent) / 1000;
        });
        Arrays.sort(micros);
        System.out.printf("catalogs: %d cached requests from %d hosts: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                micros.length, hosts, micros[micros.length / 2] / 1000.0, micros[(int) (micros.length * 0.99)] / 1000.0,
                micros[micros.length - 1] / 1000.0);
        pool.shutdown();
        System.exit(0);
    }

    /**
     * Reports as agents post them, made from one serialised report: each patches its host and a new run id (made as
     * agents make them) in place, both keeping their lengths, and is gzip-compressed before the clock starts. The
     * simulated agents have their reports ready and spend their CPU on HTTPS, not on building JSON the server reads.
     */
    record ReportBodies(byte[] template, int hostAt, int runAt, String[] names) {
        byte[][] make(ExecutorService pool, int count) throws Exception {
            byte[][] bodies = new byte[count][];
            run(pool, count, i -> {
                byte[] body = template.clone();
                System.arraycopy(names[i % names.length].getBytes(StandardCharsets.US_ASCII), 0, body, hostAt,
                        HOST_PLACEHOLDER.length());
                System.arraycopy(RunReport.newRunId().getBytes(StandardCharsets.US_ASCII), 0, body, runAt,
                        RUN_PLACEHOLDER.length());
                bodies[i] = gzip(body);
            });
            return bodies;
        }
    }

    /** Posts {@code bodies}, report i as host i modulo the hosts; the seconds it took. */
    static double ingest(ExecutorService pool, byte[][] bodies, String[] names, String[] credentials,
                         AtomicInteger duplicates) throws Exception {
        long start = System.nanoTime();
        run(pool, bodies.length, i -> {
            int host = i % names.length;
            Map<?, ?> answer = json(post("/api/v1/hosts/" + names[host] + "/reports", credentials[host], bodies[i],
                    true));
            if (Boolean.TRUE.equals(answer.get("duplicate"))) {
                duplicates.incrementAndGet();
            }
        });
        return (System.nanoTime() - start) / 1e9;
    }

    /** A report as an agent posts it: {@code resources} files, five of them changed. */
    static RunReport report(int resources) {
        List<ResourceResult> results = new ArrayList<>();
        for (int i = 0; i < resources; i++) {
            String id = "file:/srv/app/conf.d/" + i + ".conf";
            results.add(i < 5 ? ResourceResult.of(id, Status.CHANGED, new Change().changed("mode", "0644", "0600"), 900)
                    : ResourceResult.of(id, Status.IN_SYNC, new Change(), 120));
        }
        return new RunReport(RUN_PLACEHOLDER, HOST_PLACEHOLDER, Mode.APPLY, "0".repeat(64),
                new ProjectSource("a".repeat(40), false), Instant.now().toString(), 180, RunReport.Summary.of(results),
                results, null);
    }

    /** The CPU time the server and this generator spend from now on, of the two cores they share. */
    static final class Cpu {
        final ProcessHandle server;
        final Duration serverStart;
        final Duration generatorStart;

        Cpu(long serverPid) {
            server = ProcessHandle.of(serverPid)
                    .orElseThrow(() -> new IllegalStateException("no process " + serverPid));
            serverStart = of(server);
            generatorStart = of(ProcessHandle.current());
        }

        static Duration of(ProcessHandle process) {
            return process.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException(
                    "cannot read the CPU time of process " + process.pid()));
        }

        void print(int reports) {
            System.out.printf("CPU per report: server %.2f ms, load generator %.2f ms%n",
                    of(server).minus(serverStart).toNanos() / 1e6 / reports,
                    of(ProcessHandle.current()).minus(generatorStart).toNanos() / 1e6 / reports);
        }
    }

    interface Task {
        void run(int i) throws Exception;
    }

    /** Runs {@code task} for 0 to count - 1 on {@code pool}; any failure stops the benchmark. */
    static void run(ExecutorService pool, int count, Task task) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(pool.submit(() -> {
                task.run(index);
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
    }

    static byte[] post(String path, String credential, byte[] body) throws Exception {
        return post(path, credential, body, false);
    }

    static byte[] post(String path, String credential, byte[] body, boolean gzipped) throws Exception {
        return expect(200, path, credential, body, gzipped);
    }

    /** Posts a gzip-compressed {@code body} and fails unless the answer has {@code status}. */
    static byte[] expect(int status, String path, String credential, byte[] body) throws Exception {
        return expect(status, path, credential, body, true);
    }

    static byte[] expect(int status, String path, String credential, byte[] body, boolean gzipped) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (gzipped) {
            request.header("Content-Encoding", "gzip");
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != status) {
            throw new IllegalStateException(path + ": HTTP " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    static byte[] gzip(byte[] data) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(out)) {
            gzip.write(data);
        }
        return out.toByteArray();
    }

    static int indexOf(byte[] text, String part) {
        byte[] wanted = part.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + wanted.length <= text.length; i++) {
            if (Arrays.equals(text, i, i + wanted.length, wanted, 0, wanted.length)) {
                return i;
            }
        }
        throw new IllegalStateException(part + " not in the report");
    }

    static Map<?, ?> json(byte[] body) {
        return Json.MAPPER.readValue(body, Map.class);
    }

    static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (FileInputStream in = new FileInputStream(caPem.toFile())) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
