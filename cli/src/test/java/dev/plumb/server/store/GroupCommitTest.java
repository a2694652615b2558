package dev.plumb.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    /** Every group the commit was given, in order. */
    private final List<List<String>> groups = Collections.synchronizedList(new ArrayList<>());
    /** Holds the first commit until released, so that others queue behind it. */
    private final CountDownLatch releaseFirst = new CountDownLatch(1);
    private final GroupCommit<String, String> commits = new GroupCommit<>(1, group -> {
        groups.add(group);
        if (groups.size() == 1) {
            await(releaseFirst);
        }
        if (group.contains("bad")) {
            throw new IllegalStateException("refused");
        }
        if (group.contains("down")) {
            throw new IllegalStateException("the database is down");
        }
        if (group.contains("error")) {
            throw new OutOfMemoryError("no memory left");
        }
        return group.stream().map(item -> item + " committed").toList();
    }, failure -> failure.getMessage().equals("refused"));
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
        List<Future<String>> later = queuedBehindTheFirst(items(20));

        for (int i = 0; i < 20; i++) {
            assertThat(later.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("item" + i + " committed");
        }
        assertThat(groups).hasSize(2);
        assertThat(groups.get(1)).hasSize(20);
    }

    @Test
    void anItemTheCommitRefusesFailsOnlyItsOwnWriter() throws Exception {
        List<Future<String>> answers = queuedBehindTheFirst(List.of("a", "bad", "c"));

        assertThat(answers.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("a committed");
        assertThat(answers.get(2).get(10, TimeUnit.SECONDS)).isEqualTo("c committed");
        assertThatThrownBy(() -> answers.get(1).get(10, TimeUnit.SECONDS)).hasRootCauseMessage("refused");
        assertThat(groups).containsExactly(List.of("first"), List.of("a", "bad", "c"), List.of("a"), List.of("bad"),
                List.of("c"));
    }

    @Test
    void aGroupTheDatabaseFailsAsAWholeFailsAtOnceNotItemByItem() throws Exception {
        List<Future<String>> answers = queuedBehindTheFirst(List.of("a", "down"));

        for (Future<String> answer : answers) {
            assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("the database is down");
        }
        assertThat(groups).containsExactly(List.of("first"), List.of("a", "down"));
    }

    @Test
    void anErrorWhileCommittingAnswersEveryWriterOfTheGroupWithIt() throws Exception {
        List<Future<String>> answers = queuedBehindTheFirst(List.of("a", "error"));

        for (Future<String> answer : answers) {
            assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(OutOfMemoryError.class);
        }
        assertThat(commits.queued()).isZero();
    }

    @Test
    void moreItemsThanAGroupHoldsAreCommittedInSeveralGroupsAndAllAnswered() throws Exception {
        int items = GroupCommit.MAX_GROUP + 10;
        List<Future<String>> later = queuedBehindTheFirst(items(items));

        for (int i = 0; i < items; i++) {
            assertThat(later.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("item" + i + " committed");
        }
        assertThat(groups.subList(1, groups.size())).extracting(List::size)
                .containsExactly(GroupCommit.MAX_GROUP, 10);
    }

    @Test
    void withTwoGroupsAtOnceAWriterCommitsWhileAnotherGroupIsStillCommitting() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<List<String>> twoAtOnceGroups = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<String, String> twoAtOnce = new GroupCommit<>(2, group -> {
            twoAtOnceGroups.add(group);
            if (group.contains("held")) {
                await(release);
            }
            return group.stream().map(item -> item + " committed").toList();
        }, failure -> false);
        Future<String> held = threads.submit(() -> twoAtOnce.write("held"));
        waitFor(() -> twoAtOnceGroups.size() == 1);

        assertThat(twoAtOnce.write("next")).isEqualTo("next committed");
        assertThat(held).isNotDone();
        release.countDown();
        assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("held committed");
        assertThat(twoAtOnceGroups).containsExactly(List.of("held"), List.of("next"));
    }

    @Test
    void underLoadWithFourGroupsAtOnceEveryWriterGetsItsOwnItemsOutcome() throws Exception {
        // One group in 50 fails with an Error. A writer must be answered "committed" exactly when its item was in a
        // group that committed, and fail exactly when it was not: never with another group's failure, never hung.
        Set<String> committed = ConcurrentHashMap.newKeySet();
        AtomicInteger committing = new AtomicInteger();
        GroupCommit<String, String> fourAtOnce = new GroupCommit<>(4, group -> {
            if (committing.incrementAndGet() % 50 == 0) {
                throw new OutOfMemoryError("injected");
            }
            committed.addAll(group);
            return group.stream().map(item -> item + " committed").toList();
        }, failure -> false);
        int writers = 32;
        int writes = 2_000;
        List<Future<Map<String, String>>> outcomes = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String writer = "w" + w + "-";
            outcomes.add(threads.submit(() -> {
                Map<String, String> answers = new HashMap<>();
                for (int i = 0; i < writes; i++) {
                    String item = writer + i;
                    try {
                        answers.put(item, fourAtOnce.write(item));
                    } catch (RuntimeException | Error e) {
                        answers.put(item, "failed");
                    }
                }
                return answers;
            }));
        }

        Map<String, String> answers = new HashMap<>();
        for (Future<Map<String, String>> outcome : outcomes) {
            answers.putAll(outcome.get(60, TimeUnit.SECONDS));
        }
        assertThat(answers).hasSize(writers * writes);
        answers.forEach((item, answer) -> assertThat(answer).as(item)
                .isEqualTo(committed.contains(item) ? item + " committed" : "failed"));
        assertThat(answers.values()).contains("failed");
        assertThat(fourAtOnce.queued()).isZero();
    }

    @Test
    void aGroupCommitNeedsAtLeastOneGroupAtATime() {
        assertThatThrownBy(() -> new GroupCommit<String, String>(0, group -> group, failure -> false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    /**
     * {@code items}, each handed in by a thread of its own and queued in order behind the first commit, which is then
     * released (and checked); their answers, in that order.
     */
    private List<Future<String>> queuedBehindTheFirst(List<String> items) throws Exception {
        Future<String> first = firstCommitHeld();
        List<Future<String>> answers = new ArrayList<>();
        for (String item : items) {
            answers.add(queued(item));
        }
        releaseFirst.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first committed");
        return answers;
    }

    /** item0, item1, ... */
    private static List<String> items(int count) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add("item" + i);
        }
        return items;
    }

    /** "first", handed in alone: its commit holds until {@link #releaseFirst}, so that what follows queues. */
    private Future<String> firstCommitHeld() throws InterruptedException {
        Future<String> first = threads.submit(() -> commits.write("first"));
        waitFor(() -> groups.size() == 1);
        return first;
    }

    /** {@code item} handed in by a thread of its own, once it waits in the queue. */
    private Future<String> queued(String item) throws InterruptedException {
        int before = commits.queued();
        Future<String> written = threads.submit(() -> commits.write(item));
        waitFor(() -> commits.queued() == before + 1);
        return written;
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
