package dev.plumb.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    /** Every group the commit was given, in order. */
    private final List<List<String>> groups = Collections.synchronizedList(new ArrayList<>());
    /** Holds the first commit until released, so that others queue behind it. */
    private final CountDownLatch releaseFirst = new CountDownLatch(1);
    private final GroupCommit<String, String> commits = new GroupCommit<>(group -> {
        groups.add(group);
        if (groups.size() == 1) {
            await(releaseFirst);
        }
        if (group.contains("bad")) {
            throw new IllegalStateException("refused");
        }
        return group.stream().map(item -> item + " committed").toList();
    });
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aWriterAloneCommitsAtOnce() {
        releaseFirst.countDown();

        assertThat(commits.write("a")).isEqualTo("a committed");
        assertThat(groups).containsExactly(List.of("a"));
    }

    @Test
    void itemsThatArriveWhileAGroupCommitsAreCommittedTogetherNext() throws Exception {
        Future<String> first = threads.submit(() -> commits.write("first"));
        waitFor(() -> groups.size() == 1);
        List<Future<String>> later = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String item = "item" + i;
            later.add(threads.submit(() -> commits.write(item)));
        }
        waitFor(() -> waitingWriters() == 20);

        releaseFirst.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first committed");
        for (int i = 0; i < 20; i++) {
            assertThat(later.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("item" + i + " committed");
        }
        assertThat(groups).hasSize(2);
        assertThat(groups.get(1)).hasSize(20);
    }

    @Test
    void anItemTheCommitRefusesFailsOnlyItsOwnWriter() throws Exception {
        Future<String> first = threads.submit(() -> commits.write("first"));
        waitFor(() -> groups.size() == 1);
        Future<String> a = threads.submit(() -> commits.write("a"));
        waitFor(() -> waitingWriters() == 1);
        Future<String> bad = threads.submit(() -> commits.write("bad"));
        waitFor(() -> waitingWriters() == 2);
        Future<String> c = threads.submit(() -> commits.write("c"));
        waitFor(() -> waitingWriters() == 3);

        releaseFirst.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first committed");
        assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("a committed");
        assertThat(c.get(10, TimeUnit.SECONDS)).isEqualTo("c committed");
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("refused");
        assertThat(groups).containsExactly(List.of("first"), List.of("a", "bad", "c"), List.of("a"), List.of("bad"),
                List.of("c"));
    }

    /** Writers waiting for the commit in progress to end; each queued its item before it began to wait. */
    private static long waitingWriters() {
        return Thread.getAllStackTraces().values().stream()
                .filter(stack -> Arrays.stream(stack).anyMatch(frame -> frame.getMethodName().equals("lock")
                        && frame.getClassName().equals(ReentrantLock.class.getName())))
                .filter(stack -> Arrays.stream(stack).anyMatch(frame -> frame.getMethodName().equals("write")
                        && frame.getClassName().equals(GroupCommit.class.getName())))
                .count();
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
