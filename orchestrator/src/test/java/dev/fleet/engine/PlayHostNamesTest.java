package dev.fleet.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fleet.result.TaskStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlayHostNamesTest {

    @Test
    void listsEveryHostOrOnlyTheActiveOnesAsAPlainListWould() {
        HostState a = new HostState("a");
        HostState b = new HostState("b");
        HostState c = new HostState("c");
        b.out = TaskStatus.FAILED;
        List<HostState> states = List.of(a, b, c);
        assertEquals(List.of("a", "b", "c"), new PlayHostNames(states, false));
        assertEquals(List.of("a", "c"), new PlayHostNames(states, true));
        assertEquals(new PlayHostNames(states, true), List.of("a", "c"));
        assertEquals(List.of("a", "c").hashCode(), new PlayHostNames(states, true).hashCode());
        assertEquals("[a, c]", new PlayHostNames(states, true).toString());
    }

    @Test
    void theNamesAreTakenWhenFirstReadAndKeptForTheTask() {
        HostState a = new HostState("a");
        HostState b = new HostState("b");
        PlayHostNames active = new PlayHostNames(List.of(a, b), true);
        b.out = TaskStatus.FAILED; // before the first read: left out
        assertEquals(List.of("a"), active);
        a.out = TaskStatus.FAILED; // after it: the task keeps what it read
        assertEquals(1, active.size());
        assertEquals("a", active.get(0));
    }
}
