package dev.fleet.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.engine.Strategies;
import dev.fleet.modules.ModuleRegistry;
import dev.fleet.yaml.ParseException;
import org.junit.jupiter.api.Test;

/** {@code rescue_unreachable}: a block keyword only, a boolean, and only on a block with a rescue section. */
class RescueUnreachableParseTest {
    private final PlaybookParser parser = new PlaybookParser(ModuleRegistry.builtin(), Strategies.names());

    private void assertError(String yaml, String position, String... fragments) {
        var assertion = assertThatThrownBy(() -> parser.parse(yaml, "site.yml")).isInstanceOf(ParseException.class)
                .hasMessageStartingWith("site.yml:" + position + ":");
        for (String f : fragments) assertion.hasMessageContaining(f);
    }

    @Test
    void aBlockCarriesIt() throws Exception {
        Playbook pb = parser.parse("""
                - hosts: all
                  tasks:
                    - block:
                        - command: uptime
                      rescue_unreachable: yes
                      rescue:
                        - debug: msg=lost
                    - block:
                        - command: uptime
                      rescue:
                        - debug: msg=failed
                """, "site.yml");
        assertThat(((Block) pb.plays().get(0).tasks().get(0)).rescueUnreachable()).isTrue();
        assertThat(((Block) pb.plays().get(0).tasks().get(1)).rescueUnreachable()).isFalse();
    }

    @Test
    void aTaskOrPlayOrImportCannot() {
        assertError("- hosts: all\n  tasks:\n    - command: uptime\n      rescue_unreachable: true\n", "4:7",
                "'rescue_unreachable' is a block keyword and cannot be used on a task", "'block:'");
        assertError("- hosts: all\n  rescue_unreachable: true\n  tasks: []\n", "2:3",
                "is a block keyword and cannot be used on a play");
        assertError("- hosts: all\n  tasks:\n    - local_action: command uptime\n      rescue_unreachable: true\n",
                "4:7", "is a block keyword");
        assertError("- hosts: all\n  tasks:\n    - import_tasks: other.yml\n      rescue_unreachable: true\n",
                "4:7", "is a block keyword and cannot be used on 'import_tasks'");
        assertError("- hosts: all\n  roles:\n    - role: web\n      rescue_unreachable: true\n", "4:7",
                "is a block keyword and cannot be used on a role");
    }

    @Test
    void itMustBeABooleanOnABlockWithARescue() {
        assertError("""
                - hosts: all
                  tasks:
                    - block:
                        - command: uptime
                      rescue_unreachable: sometimes
                      rescue:
                        - debug: msg=lost
                """, "5:27", "'rescue_unreachable' must be true or false");
        assertError("""
                - hosts: all
                  tasks:
                    - block:
                        - command: uptime
                      rescue_unreachable: true
                      always:
                        - debug: msg=done
                """, "5:7", "this block has none; add 'rescue:'");
    }
}
