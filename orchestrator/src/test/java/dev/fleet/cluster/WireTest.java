package dev.fleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.engine.ActivityChange;
import dev.fleet.engine.HostFacts;
import dev.fleet.engine.InventoryChange;
import dev.fleet.engine.RemoteInclude;
import dev.fleet.engine.RemoteReply;
import dev.fleet.engine.RemoteScope;
import dev.fleet.engine.RemoteTask;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Messages survive the trip through JSON text, as they cross the event bus between JVMs. */
class WireTest {
    @Test
    void aReplyKeepsItsResultAndSetVariables() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("cmd", List.of("hostname"));
        data.put("nested", Map.of("n", 3, "ok", true));
        data.put("path", Path.of("/etc/hosts")); // not JSON: travels as its text
        TaskResult r = new TaskResult("h1", "play", "task", "command", "pb.yml:3:7",
                new TaskOutcome(TaskStatus.CHANGED, 0, "h1\n", "", "", data), false,
                Instant.parse("2026-01-01T00:00:00.123456Z"), Instant.parse("2026-01-01T00:00:01Z"));
        RemoteReply back = Wire.reply(new io.vertx.core.json.JsonObject(
                Wire.reply(new RemoteReply(r, Map.of("who", Map.of("rc", 0)))).encode()));
        assertThat(back.result().outcome().data()).containsEntry("cmd", List.of("hostname"))
                .containsEntry("nested", Map.of("n", 3, "ok", true)).containsEntry("path", "/etc/hosts");
        assertThat(back.result().start()).isEqualTo(r.start());
        assertThat(back.result().outcome().rc()).isZero();
        assertThat(back.result().status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(back.set()).isEqualTo(Map.of("who", Map.of("rc", 0)));
    }

    @Test
    void inventoryChangesTravelApartFromTheTask() {
        List<InventoryChange> changes = List.of(new InventoryChange(1, "group_by", "h1", Map.of("key", "web")),
                new InventoryChange(2, "add_host", "h1", Map.of("name", "extra", "ansible_port", 2222)));
        io.vertx.core.json.JsonObject op = new io.vertx.core.json.JsonObject(Wire.inventory("run", changes).encode());
        assertThat(op.getString("op")).isEqualTo("inventory");
        assertThat(Wire.inventory(op)).isEqualTo(changes);
        RemoteTask t = new RemoteTask(1, "h1", 0, 0, "s0", Map.of(), Map.of(), null, null, 1, List.of(), changes);
        assertThat(Wire.task("run", t).encode()).doesNotContain("extra");
        assertThat(Wire.task(new io.vertx.core.json.JsonObject(Wire.task("run", t).encode())).inventory()).isEmpty();
    }

    @Test
    void activityChangesTravelWithTheTaskAsTheDispatcherNarrowedThem() {
        List<ActivityChange> all = List.of(new ActivityChange(1, "h2", TaskStatus.FAILED),
                new ActivityChange(2, "h3", TaskStatus.UNREACHABLE), new ActivityChange(3, "h2", null));
        RemoteTask t = new RemoteTask(4, "h1", 0, 1, "s0", Map.of(), Map.of(), null, null, 1, List.of(), List.of(),
                Map.of("role_default", "d"), all);
        RemoteTask back = Wire.task(new JsonObject(Wire.task("run", t.withActivity(all.subList(1, 3))).encode()));
        assertThat(back.activity()).containsExactly(all.get(1), all.get(2));
        assertThat(back.withActivity(all)).isEqualTo(t);
        // a few bytes per change: no host list travels with a task
        assertThat(Wire.task("run", t.withActivity(List.of())).encode()).doesNotContain("h2");
    }

    @Test
    void aTaskAndItsScopeRoundTrip() {
        RemoteTask t = new RemoteTask(7, "h1", 1, -1, "s0", Map.of("x", 1), null, null, 1234);
        assertThat(Wire.task(new io.vertx.core.json.JsonObject(Wire.task("run", t).encode()))).isEqualTo(t);
        RemoteTask included = new RemoteTask(8, "h1", 1, 2, "s0", Map.of(), Map.of("loaded", List.of(1)), null,
                null, 1234,
                List.of(new RemoteInclude(0, 1, RemoteInclude.STATIC, 4, "../tasks/a.yml",
                        Map.of("item", Map.of("n", 1))),
                        new RemoteInclude(3, 1, 0, 1, "b.yml", Map.of())), List.of());
        assertThat(Wire.task(new io.vertx.core.json.JsonObject(Wire.task("run", included).encode())))
                .isEqualTo(included);
        RemoteScope s = new RemoteScope("s0", 1, List.of("h1", "h2"), List.of("h1"));
        assertThat(Wire.scope(new io.vertx.core.json.JsonObject(Wire.scope("run", s).encode()))).isEqualTo(s);
    }

    @Test
    void aReplyCarriesWhatItSetOnOtherHostsAndIncludedVarsWithNulls() {
        TaskResult r = new TaskResult("h1", "play", "task", "include_vars", "pb.yml:3:7", TaskOutcome.ok(""), false,
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:01Z"));
        Map<String, Object> included = new LinkedHashMap<>();
        included.put("from_file", Map.of("list", List.of(1, "two")));
        included.put("nothing", null);
        Map<String, HostFacts> updates = Map.of("h1", new HostFacts(included, Map.of()),
                "h9", new HostFacts(Map.of(), Map.of("told_by", "h1")));
        RemoteReply back = Wire.reply(new JsonObject(Wire.reply(new RemoteReply(r, Map.of(), updates)).encode()));
        assertThat(back.updates()).isEqualTo(updates);
        assertThat(back.updates().get("h1").included()).containsEntry("nothing", null);
        // a reply with nothing beyond set has no updates, as before
        assertThat(Wire.reply(new JsonObject(Wire.reply(new RemoteReply(r, Map.of("x", 1))).encode())).updates())
                .isEmpty();
    }

    @Test
    void aHostvarsQuestionAndItsAnswerRoundTrip() {
        JsonObject ask = new JsonObject(HostFactsWire.request(List.of("h2", "h4")).encode());
        assertThat(ask.getString("op")).isEqualTo(HostFactsWire.OP);
        assertThat(HostFactsWire.hosts(ask)).containsExactly("h2", "h4");
        Map<String, HostFacts> answer = Map.of("h2", new HostFacts(Map.of("a", 1),
                Map.of("who", Map.of("rc", 0, "stdout", "h2"), "path", "/etc/hosts")), "h4", HostFacts.EMPTY);
        assertThat(HostFactsWire.answer(new JsonObject(HostFactsWire.answer(answer).encode()))).isEqualTo(answer);
        assertThat(HostFactsWire.answer(new JsonObject(HostFactsWire.answer(Map.of()).encode()))).isEmpty();
        assertThat(HostFactsWire.address("r-1")).isEqualTo("fleet.coordinator.r-1");
    }
}
