package dev.plumb.server.store;

import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import dev.plumb.system.Gzip;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store's ingest speed, in process: {@code THREADS} threads (as the server's request threads) ingest
 * {@code REPORTS} reports of {@code RESOURCES} resources each, from {@code HOSTS} hosts, into a new H2 file or a new
 * PostgreSQL cluster with its default (durable) settings, after as many to warm up; then times the fleet's status and a
 * retention that deletes every run but each host's latest. Run by {@code bench/store}.
 *
 * <pre>IngestBenchmark h2|postgresql [REPORTS] [RESOURCES] [CHANGED] [FAILED] [THREADS] [HOSTS]</pre>
 */
public final class IngestBenchmark {

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String database = args[0];
        int reports = argument(args, 1, 10_000);
        int resources = argument(args, 2, 200);
        int changed = argument(args, 3, 2);
        int failed = argument(args, 4, 0);
        int threads = argument(args, 5, 8);
        int hosts = argument(args, 6, 1000);
        Workload workload = new Workload(resources, changed, failed, hosts);
        System.out.printf("store ingest: %,d reports of %d resources (%d changed, %d failed; %,d bytes of JSON each),"
                        + " %d threads, %,d hosts, %s, %d cores%n", reports, resources, changed, failed,
                workload.json.length, threads, hosts, database, Runtime.getRuntime().availableProcessors());
        Path state = Files.createTempDirectory("plumb-store-bench");
        try {
            if (database.equals("postgresql")) {
                try (PostgresCluster cluster = PostgresCluster.start()) {
                    run(cluster.config(cluster.createDatabase(), state), workload, reports, threads);
                }
            } else {
                run(StoreConfig.embedded(state), workload, reports, threads);
            }
        } finally {
            try (var files = Files.walk(state)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static int argument(String[] args, int index, int otherwise) {
        return args.length > index ? Integer.parseInt(args[index]) : otherwise;
    }

    private static void run(StoreConfig config, Workload workload, int reports, int threads) throws Exception {
        try (FleetStore store = FleetStore.open(config)) {
            measure(store, workload, reports, threads);
            Result result = measure(store, workload, reports, threads);
            System.out.printf("%,.0f reports/s (%,d in %.2f s); ingest latency p50 %.2f ms, p99 %.2f ms;"
                            + " CPU per report %.3f ms (this JVM)%n", reports / result.seconds, reports, result.seconds,
                    result.percentile(50), result.percentile(99), result.cpuSeconds * 1000 / reports);
            double[] millis = new double[3];
            int hosts = 0;
            for (int i = 0; i < millis.length; i++) {
                long before = System.nanoTime();
                hosts = store.hosts(Duration.ofMinutes(30), Instant.now()).size();
                millis[i] = (System.nanoTime() - before) / 1e6;
            }
            System.out.printf("fleet status of %,d hosts: %.0f ms (the first time: %.0f ms)%n", hosts, millis[2], millis[0]);
            long before = System.nanoTime();
            int deleted = store.deleteRunsOlderThan(Instant.now());
            System.out.printf("retention: %,d runs deleted (all but each host's latest) in %.1f s%n", deleted,
                    (System.nanoTime() - before) / 1e9);
        }
    }

    private static Result measure(FleetStore store, Workload workload, int reports, int threads) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        long[] nanos = new long[reports];
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(executor.submit(() -> {
                for (int i = next.getAndIncrement(); i < reports; i = next.getAndIncrement()) {
                    RunReport report = workload.report(i);
                    long before = System.nanoTime();
                    if (store.ingest(report.host(), report, workload.json, workload.gzipped).duplicate()) {
                        throw new IllegalStateException("a new run id was taken for a duplicate");
                    }
                    nanos[i] = System.nanoTime() - before;
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        executor.shutdown();
        Arrays.sort(nanos);
        return new Result(seconds, cpuSeconds, nanos);
    }

    /** The CPU time of this JVM, every thread (H2's writer included): what a busy machine does not distort. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private record Result(double seconds, double cpuSeconds, long[] sortedNanos) {
        double percentile(int percent) {
            return sortedNanos[Math.min(sortedNanos.length - 1, sortedNanos.length * percent / 100)] / 1e6;
        }
    }

    /** One report shape for every host; each ingest gets a new run id and its host's name. */
    private static final class Workload {
        final RunReport template;
        final byte[] json;
        /**
         * The JSON compressed once, as agents send it and the server keeps it, so that ingest compresses nothing (the
         * stored reports all carry the template's run id and host: the benchmark never reads them back).
         */
        final byte[] gzipped;
        final int hosts;

        Workload(int resources, int changed, int failed, int hosts) {
            this.template = Reports.report("host-0", Mode.APPLY, "0123456789abcdef0123456789abcdef01234567",
                    Instant.now(), Reports.resources(resources, changed, failed));
            this.json = Reports.json(template);
            this.gzipped = Gzip.compress(json);
            this.hosts = hosts;
        }

        RunReport report(int i) {
            RunReport t = template;
            return new RunReport(t.schemaVersion(), RunReport.newRunId(), "host-" + (i % hosts), t.mode(),
                    t.catalogSha256(), t.source(), Instant.now().toString(), t.engineMillis(), t.summary(),
                    t.resources(), t.error(), t.checks());
        }
    }
}
