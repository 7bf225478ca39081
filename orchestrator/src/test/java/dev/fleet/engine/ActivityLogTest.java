package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a clustered run's coordinator tells workers about play hosts put out and let back in. */
class ActivityLogTest {

    @Test
    void aHostIsLoggedWhenItGoesOutAndWhenItComesBackOnlyThen() {
        ActivityLog log = new ActivityLog();
        HostState a = new HostState("a");
        HostState b = new HostState("b");
        a.watchActivity(log::record);
        b.watchActivity(log::record);
        log.record(a); // active, as the log assumes: nothing to say
        List<ActivityChange> before = log.snapshot();

        b.failed(List.of(), TaskStatus.FAILED);
        b.failed(List.of(), TaskStatus.FAILED); // already out
        b.clearFailure();
        a.failed(List.of(), TaskStatus.UNREACHABLE);
        a.clearFailure(); // an unreachable host stays out
        log.record(a);

        assertThat(log.snapshot()).containsExactly(new ActivityChange(1, "b", TaskStatus.FAILED),
                new ActivityChange(2, "b", null), new ActivityChange(3, "a", TaskStatus.UNREACHABLE));
        assertThat(before).isEmpty(); // a snapshot never changes
    }

    @Test
    void aHostAlreadyOutWhenFirstSeenIsLoggedThenAndSnapshotsKeepTheirLength() {
        ActivityLog log = new ActivityLog();
        List<ActivityChange> sixteen = null;
        for (int i = 0; i < 40; i++) { // past the first array
            HostState h = new HostState("h" + i);
            h.out = TaskStatus.FAILED;
            log.record(h);
            assertThat(log.snapshot()).hasSize(i + 1).last().isEqualTo(new ActivityChange(i + 1, "h" + i,
                    TaskStatus.FAILED));
            if (i == 15) sixteen = log.snapshot();
        }
        assertThat(sixteen).hasSize(16).last().isEqualTo(new ActivityChange(16, "h15", TaskStatus.FAILED));
        assertThat(log.snapshot().subList(0, 1)).containsExactly(new ActivityChange(1, "h0", TaskStatus.FAILED));
    }
}
