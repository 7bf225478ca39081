package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.inventory.Inventory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code hostvars} as a cluster worker builds it: its own hosts read here, the others' asked for lazily. */
class HostVarsTest {
    private final Inventory inventory;
    private final HostState h1 = new HostState("h1");
    private final List<List<String>> asked = new ArrayList<>();

    HostVarsTest() throws Exception {
        inventory = Inventory.parse("""
            h1 colour=inv
            h2 colour=inv
            h3
            [all:vars]
            shared=inv
            """, "inventory.ini");
    }

    private HostVars hostvars(Map<String, Object> extraVars) {
        h1.hostFacts.put("mine", "local");
        HostVars.Elsewhere elsewhere = new HostVars.Elsewhere(h -> !h.equals("h1"), hosts -> {
            asked.add(List.copyOf(hosts));
            return hosts.contains("h2") ? Map.of("h2", new HostFacts(Map.of("colour", "included", "x", "inc"),
                    Map.of("colour", "fact"))) : Map.of();
        });
        return new HostVars(inventory, name -> name.equals("h1") ? h1 : new HostState(name), extraVars, elsewhere);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> of(HostVars hv, String host) {
        return (Map<String, Object>) hv.get(host);
    }

    @Test
    void anotherWorkersHostIsAskedForOnceAndLayeredLikeALocalOne() {
        HostVars hv = hostvars(Map.of("x", "extra"));
        // facts over include_vars over inventory; extra vars over all
        assertThat(of(hv, "h2")).containsEntry("colour", "fact").containsEntry("x", "extra")
                .containsEntry("shared", "inv");
        assertThat(of(hv, "h2")).containsEntry("colour", "fact");
        assertThat(asked).containsExactly(List.of("h2"));
        // this worker's own host: read here, never asked for
        assertThat(of(hv, "h1")).containsEntry("mine", "local").containsEntry("colour", "inv");
        // a host the answer leaves out has its inventory variables only, and is not asked for again
        assertThat(of(hv, "h3")).containsEntry("shared", "inv").doesNotContainKey("colour");
        of(hv, "h3");
        assertThat(asked).containsExactly(List.of("h2"), List.of("h3"));
        // a name that is no inventory host is not asked for
        assertThat(hv.get("nosuch")).isNull();
        assertThat(asked).hasSize(2);
    }

    @Test
    void namesAndSizeNeedNoAnswerAndAllHostsAreAskedForInOneGo() {
        HostVars hv = hostvars(Map.of());
        assertThat(hv.keySet()).containsExactly("h1", "h2", "h3");
        assertThat(hv).hasSize(3);
        assertThat(hv.containsKey("h2")).isTrue();
        assertThat(asked).isEmpty();
        of(hv, "h2");
        assertThat(hv.entrySet()).hasSize(3);
        assertThat(asked).containsExactly(List.of("h2"), List.of("h3"));
        // a new task's hostvars asks again: values change between tasks
        of(hostvars(Map.of()), "h2");
        assertThat(asked).hasSize(3);
    }

    @Test
    void noAnswerFailsTheTemplateWithTheLookupsMessage() {
        HostVars hv = new HostVars(inventory, name -> null, Map.of(), new HostVars.Elsewhere(h -> true, hosts -> {
            throw new IllegalStateException("hostvars of " + hosts + " could not be read: no answer within 10 s");
        }));
        assertThatThrownBy(() -> hv.get("h2")).hasMessageContaining("no answer within 10 s");
        assertThat(Set.copyOf(hv.keySet())).contains("h2");
    }
}
