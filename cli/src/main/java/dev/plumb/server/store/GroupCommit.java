package dev.plumb.server.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Writes items that threads hand in at the same time in one transaction, and answers each thread only once its item
 * is committed. A commit is the expensive part of a small write (a database syncs its log, H2 writes its pages), so
 * while groups commit, the items that arrive meanwhile wait and then commit together as the next group: the more
 * threads write at once, the larger the groups, and one thread alone still commits at once. A few groups may commit
 * at the same time, each in its own transaction by the thread that took it, so that one group's commit (its sync)
 * does not hold up the writing of the next.
 *
 * <p>When a group fails for a reason one of its items may have caused (a value the database refuses), each of its
 * items is committed alone, so that a bad item fails only its own thread. Any other failure (the database is down)
 * fails the whole group at once: trying each item again would only hold every other writer back.
 *
 * @param <T> what is written
 * @param <R> what writing one item answers
 */
final class GroupCommit<T, R> {

    /** The most items one transaction writes; later ones wait for the next. */
    static final int MAX_GROUP = 64;

    private final Function<List<T>, List<R>> commit;
    private final Predicate<RuntimeException> causedByAnItem;
    private final Queue<Pending<T, R>> waiting = new ConcurrentLinkedQueue<>();
    /** One permit per group that may commit at once: the threads whose items are waiting queue here. */
    private final Semaphore committers;

    /**
     * {@code commit} writes a group in one transaction and answers for each of its items, in order; it is called by
     * at most {@code concurrentGroups} threads at a time. {@code causedByAnItem} tells a failure one item may have
     * caused from one of the database.
     */
    GroupCommit(int concurrentGroups, Function<List<T>, List<R>> commit, Predicate<RuntimeException> causedByAnItem) {
        if (concurrentGroups < 1) {
            throw new IllegalArgumentException("concurrentGroups is " + concurrentGroups + ": at least 1");
        }
        this.committers = new Semaphore(concurrentGroups);
        this.commit = commit;
        this.causedByAnItem = causedByAnItem;
    }

    /** Writes {@code item}, with whatever else is waiting, and answers for it once it is committed. */
    R write(T item) {
        Pending<T, R> mine = new Pending<>(item);
        waiting.add(mine);
        // Every writer takes its turn at a permit, even one whose item a group already holds: the turns of the
        // writers just answered are what let the next group fill. With those turns skipped, H2's groups held 1.9
        // reports instead of 3.1 under bench/server, and it spent a quarter more CPU per report. The price is latency:
        // an answered writer returns only once it had its turn, after any commit that got the permit first.
        do {
            committers.acquireUninterruptibly();
            List<Pending<T, R>> group = List.of();
            try {
                if (!mine.taken) {
                    group = nextGroup();
                    if (group.isEmpty()) {
                        // Another thread polled this item and is about to mark it taken.
                        Thread.yield();
                    } else {
                        commitGroup(group);
                    }
                }
            } catch (RuntimeException | Error e) {
                // This writer fails with its group, or, when its item is still queued, before anyone tried it (left
                // there, it would be written later with no one to answer). An item another group holds is answered
                // by that group.
                if (group.contains(mine) || waiting.remove(mine)) {
                    throw e;
                }
            } finally {
                committers.release();
            }
        } while (!mine.taken);
        mine.awaitAnswer();
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    /** How many items wait for a commit. */
    int queued() {
        return waiting.size();
    }

    /** Takes up to {@link #MAX_GROUP} items off the queue, allocating nothing once it took the first. */
    private List<Pending<T, R>> nextGroup() {
        List<Pending<T, R>> group = new ArrayList<>(MAX_GROUP);
        Pending<T, R> next;
        while (group.size() < MAX_GROUP && (next = waiting.poll()) != null) {
            next.taken = true;
            group.add(next);
        }
        return group;
    }

    private void commitGroup(List<Pending<T, R>> group) {
        try {
            List<R> results;
            try {
                results = commit.apply(group.stream().map(pending -> pending.item).toList());
            } catch (RuntimeException e) {
                if (group.size() == 1 || !causedByAnItem.test(e)) {
                    group.forEach(pending -> pending.answer(null, e));
                    return;
                }
                group.forEach(alone -> commitGroup(List.of(alone)));
                return;
            }
            if (results.size() != group.size()) {
                throw new IllegalStateException(results.size() + " answers for a group of " + group.size()
                        + " (this is a bug in plumb)");
            }
            for (int i = 0; i < group.size(); i++) {
                group.get(i).answer(results.get(i), null);
            }
        } catch (RuntimeException | Error e) {
            // The threads whose items were in the group must not wait for ever, nor go unanswered.
            for (Pending<T, R> pending : group) {
                if (!pending.done()) {
                    pending.answer(null, new StoreException("the store failed while writing: " + e, e));
                }
            }
            throw e;
        }
    }

    /**
     * An item handed in and, once its group committed, its answer. The answer is written by the thread that committed
     * the group, before {@link #answered} opens, and read by the item's own thread after it opened.
     */
    private static final class Pending<T, R> {
        final T item;
        /** Set when a thread took this item into its group: from then on, that thread answers it. */
        volatile boolean taken;
        private final CountDownLatch answered = new CountDownLatch(1);
        R result;
        RuntimeException failure;

        Pending(T item) {
            this.item = item;
        }

        boolean done() {
            return answered.getCount() == 0;
        }

        void answer(R result, RuntimeException failure) {
            this.result = result;
            this.failure = failure;
            answered.countDown();
        }

        /** Waits for the answer; an interrupt neither stops the wait nor is lost. */
        void awaitAnswer() {
            boolean interrupted = false;
            while (true) {
                try {
                    answered.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
