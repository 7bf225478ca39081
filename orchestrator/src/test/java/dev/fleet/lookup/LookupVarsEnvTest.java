package dev.fleet.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** env and vars; expected values from ansible-core 2.14. */
class LookupVarsEnvTest {
    private static LookupContext ctx(Map<String, Object> vars) {
        return new LookupContext(List.of(), Path.of("."), vars, LookupContext.Renderer.NONE);
    }

    @Test
    void envReadsTheControllersEnvironment() throws Exception {
        Map<String, String> env = Map.of("HOME", "/root", "EMPTY", "");
        Lookup lookup = new EnvLookup(env::get);
        LookupContext ctx = ctx(Map.of());
        assertThat(lookup.run(List.of("HOME", "NOPE_X"), Map.of("default", "dflt"), ctx))
                .containsExactly("/root", "dflt");
        assertThat(lookup.run(List.of("NOPE_X", "EMPTY"), Map.of(), ctx)).containsExactly("", "");
        assertThat(lookup.run(List.of("HOME and more words"), Map.of(), ctx)).containsExactly("/root");
        assertThatThrownBy(() -> lookup.run(List.of(" "), Map.of(), ctx)).hasMessageContaining("variable name");
        assertThat(Lookups.find("env").orElseThrow().run(List.of("PATH"), Map.of(), ctx))
                .containsExactly(System.getenv("PATH"));
    }

    @Test
    void varsLooksUpVariablesByName() throws Exception {
        Map<String, Object> vars = new HashMap<>();
        vars.put("x", 42);
        vars.put("nothing", null);
        vars.put("inventory_hostname", "web1");
        vars.put("hostvars", Map.of("web1", Map.of("only_here", "hv")));
        Lookup lookup = Lookups.find("vars").orElseThrow();
        assertThat(lookup.run(List.of("x", "only_here"), Map.of(), ctx(vars))).containsExactly(42, "hv");
        assertThat(lookup.run(List.of("nothing"), Map.of(), ctx(vars))).containsExactly((Object) null);
        assertThat(lookup.run(List.of("x", "nope"), Map.of("default", 7), ctx(vars))).containsExactly(42, 7);
        assertThatThrownBy(() -> lookup.run(List.of("nope"), Map.of(), ctx(vars)))
                .isInstanceOf(LookupException.class).hasMessageContaining("No variable found with this name: nope");
        assertThatThrownBy(() -> lookup.run(Arrays.asList(1), Map.of(), ctx(vars)))
                .hasMessageContaining("not a string");
    }
}
