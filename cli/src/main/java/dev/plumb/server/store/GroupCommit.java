package dev.plumb.server.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Writes items that threads hand in at the same time in one transaction, and answers each thread only once its item
 * is committed. A commit is the expensive part of a small write (a database syncs its log, H2 writes its pages), so
 * while one group commits, the items that arrive meanwhile wait and then commit together as the next group: the more
 * threads write at once, the larger the groups, and one thread alone still commits at once.
 *
 * <p>When a group fails as a whole, each of its items is committed alone, so that one bad item fails only its own
 * thread.
 *
 * @param <T> what is written
 * @param <R> what writing one item answers
 */
final class GroupCommit<T, R> {

    /** The most items one transaction writes; later ones wait for the next. */
    static final int MAX_GROUP = 64;

    private final Function<List<T>, List<R>> commit;
    private final Queue<Pending<T, R>> waiting = new ConcurrentLinkedQueue<>();
    /** Held while a group commits: the threads whose items are waiting queue here, and one of them commits next. */
    private final ReentrantLock committer = new ReentrantLock();

    /**
     * {@code commit} writes a group in one transaction and answers for each of its items, in order; it is called by
     * one thread at a time.
     */
    GroupCommit(Function<List<T>, List<R>> commit) {
        this.commit = commit;
    }

    /** Writes {@code item}, with whatever else is waiting, and answers for it once it is committed. */
    R write(T item) {
        Pending<T, R> mine = new Pending<>(item);
        waiting.add(mine);
        committer.lock();
        try {
            // A group committed while this thread waited for the lock may have held this item already.
            while (!mine.done) {
                List<Pending<T, R>> group = nextGroup();
                if (group.isEmpty()) {
                    throw new IllegalStateException("an item left the queue unanswered (this is a bug in plumb)");
                }
                commitGroup(group);
            }
        } finally {
            committer.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    private List<Pending<T, R>> nextGroup() {
        List<Pending<T, R>> group = new ArrayList<>();
        Pending<T, R> next;
        while (group.size() < MAX_GROUP && (next = waiting.poll()) != null) {
            group.add(next);
        }
        return group;
    }

    private void commitGroup(List<Pending<T, R>> group) {
        try {
            List<R> results = commit.apply(group.stream().map(pending -> pending.item).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).answer(results.get(i), null);
            }
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                group.get(0).answer(null, e);
                return;
            }
            for (Pending<T, R> alone : group) {
                commitGroup(List.of(alone));
            }
        } finally {
            // An Error in this thread must not leave the threads whose items were in the group waiting for ever.
            for (Pending<T, R> pending : group) {
                if (!pending.done) {
                    pending.answer(null, new StoreException("the store failed while writing this item", null));
                }
            }
        }
    }

    /** An item handed in and, once its group committed, its answer; read and written under {@link #committer}. */
    private static final class Pending<T, R> {
        final T item;
        boolean done;
        R result;
        RuntimeException failure;

        Pending(T item) {
            this.item = item;
        }

        void answer(R result, RuntimeException failure) {
            this.result = result;
            this.failure = failure;
            this.done = true;
        }
    }
}
