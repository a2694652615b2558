package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.compiler.Project;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HostPoolTest {

    private static List<Project.Host> hosts(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> new Project.Host("web" + i, true, null, List.of(), null,
                Map.of(), null)).toList();
    }

    @Test
    void runsAsManyHostsAtOnceAsAskedAndNoMore() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch firstThreeTogether = new CountDownLatch(3);
        Set<String> ran = ConcurrentHashMap.newKeySet();

        new HostPool(3).forEach(hosts(9), new HostPool.Task() {
            @Override
            public void run(Project.Host host) {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                firstThreeTogether.countDown();
                try {
                    // Each of the first three waits until all three run: only possible if they run at once.
                    assertThat(firstThreeTogether.await(30, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                ran.add(host.name());
                running.decrementAndGet();
            }

            @Override
            public void notStarted(Project.Host host) {
                throw new AssertionError("nothing stopped the pool");
            }
        });

        assertThat(ran).hasSize(9);
        assertThat(most.get()).isEqualTo(3);
    }

    @Test
    void onceStoppedItStartsNoMoreHostsAndHandsThemOverAsNotStarted() {
        HostPool pool = new HostPool(1);
        Set<String> ran = ConcurrentHashMap.newKeySet();
        Set<String> notStarted = ConcurrentHashMap.newKeySet();

        pool.forEach(hosts(4), new HostPool.Task() {
            @Override
            public void run(Project.Host host) {
                ran.add(host.name());
                if (host.name().equals("web2")) {
                    pool.stop();
                }
            }

            @Override
            public void notStarted(Project.Host host) {
                notStarted.add(host.name());
            }
        });

        assertThat(ran).containsExactlyInAnyOrder("web1", "web2");
        assertThat(notStarted).containsExactlyInAnyOrder("web3", "web4");
    }
}
