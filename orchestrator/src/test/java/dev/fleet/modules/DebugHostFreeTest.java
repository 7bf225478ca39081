package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code debug}: prints on the controller, never touches the host. */
class DebugHostFreeTest {
    private static final Map<String, Object> VARS = Map.of("port", 8080, "pkgs", List.of("nginx", "php"),
            "web", Map.of("root", "/srv/www"), "empty", "", "on", true);

    private final FakeHostSession host = new FakeHostSession("web1");

    private TaskOutcome debug(Map<String, Object> args) throws Exception {
        return ModuleHarness.task("debug", args).vars(VARS).on(host);
    }

    @AfterEach
    void noCommandReachedTheHost() {
        assertThat(host.commands()).isEmpty();
        assertThat(host.uploads()).isEmpty();
    }

    @Test
    void withoutArgumentsSaysHelloWorld() throws Exception {
        TaskOutcome o = debug(Map.of());
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.msg()).isEqualTo("Hello world!");
        assertThat(o.data()).containsEntry("msg", "Hello world!");
    }

    @Test
    void msgIsReportedAsGiven() throws Exception {
        TaskOutcome o = debug(args("msg", "listening on 8080"));
        assertThat(o.msg()).isEqualTo("listening on 8080");
        assertThat(o.data()).containsEntry("msg", "listening on 8080");
    }

    @Test
    void aListMsgKeepsItsTypeInData() throws Exception {
        TaskOutcome o = debug(args("msg", List.of("a", "b")));
        assertThat(o.data()).containsEntry("msg", List.of("a", "b"));
        assertThat(o.msg()).isEqualTo("[\"a\",\"b\"]");
    }

    @Test
    void varReportsTheVariableUnderItsNameWithItsType() throws Exception {
        TaskOutcome o = debug(args("var", "port"));
        assertThat(o.data()).containsEntry("port", 8080);
        assertThat(o.msg()).isEqualTo("port: 8080");
    }

    @Test
    void varMayBeAnExpression() throws Exception {
        TaskOutcome o = debug(args("var", "web.root"));
        assertThat(o.data()).containsEntry("web.root", "/srv/www");
    }

    @Test
    void varOfAListReportsTheList() throws Exception {
        assertThat(debug(args("var", "pkgs")).data()).containsEntry("pkgs", List.of("nginx", "php"));
    }

    @Test
    void varInBracesIsReadAsTheBareName() throws Exception {
        assertThat(debug(args("var", "{{ port }}")).data()).containsEntry("port", 8080);
    }

    @Test
    void anUndefinedVarIsShownAsNotDefinedWithoutFailing() throws Exception {
        TaskOutcome o = debug(args("var", "nope"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("nope", "VARIABLE IS NOT DEFINED!");
    }

    @Test
    void aBooleanIsShownPythonStyle() throws Exception {
        assertThat(debug(args("var", "on")).msg()).isEqualTo("on: True");
    }

    @Test
    void msgAndVarTogetherAreRefused() throws Exception {
        assertThat(ModuleHarness.task("debug", args("msg", "x", "var", "port")).vars(VARS).rejection(host))
                .contains("msg").contains("var");
    }

    @Test
    void aVerbosityThatIsNotANumberIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "debug", args("msg", "x", "verbosity", "loud")))
                .contains("verbosity");
    }

    @Test
    void debugIsOkInCheckMode() throws Exception {
        assertThat(ModuleHarness.task("debug", args("msg", "x")).check().on(host).status())
                .isEqualTo(TaskStatus.OK);
    }
}
