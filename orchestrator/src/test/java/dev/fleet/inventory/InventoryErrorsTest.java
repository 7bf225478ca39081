package dev.fleet.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.fleet.yaml.ParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InventoryErrorsTest {
    private static ParseException error(String text, String name) {
        try {
            Inventory.parse(text, name);
        } catch (ParseException e) {
            return e;
        }
        return fail("expected a ParseException for:\n" + text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bad range       | [web]\\nweb[01:xx]                | hosts:2:1: bad host range 'web[01:xx]': expected [start:end] with numbers or letters
            range no end    | [web]\\n  web[1:]                 | hosts:2:3: bad host range 'web[1:]': the range has no end value; expected [start:end]
            range pad width | x\\ny[01:100]                     | hosts:2:1: bad host range 'y[01:100]': zero-padded start '01' and end '100' must have the same number of digits
            range reversed  | h[9:2]                            | hosts:1:1: bad host range 'h[9:2]': start 9 comes after end 2
            range bracket   | [g]\\nh[1:2                       | hosts:2:1: bad host range 'h[1:2': '[' without a matching ']'
            range step      | h[1:9:0]                          | hosts:1:1: bad host range 'h[1:9:0]': step '0' must be a positive number
            vars not k=v    | [web]\\nw\\n[web:vars]\\nfoo      | hosts:4:1: section [web:vars] line 'foo' is not key=value
            host var        | [web]\\nweb1 a=1 oops b=2         | hosts:2:10: host 'web1': 'oops' is not key=value; inline host variables must be key=value
            quote           | web1 a="x                         | hosts:1:8: unterminated " quote; expected a closing " on the same line
            unknown type    | [web:hosts2]                      | hosts:1:1: section [web:hosts2] has unknown type 'hosts2'; expected [web], [web:vars] or [web:children]
            header spaces   | [my group]                        | hosts:1:1: bad section header '[my group]': expected [group], [group:vars] or [group:children] with no spaces in the name
            header open     | h\\n[web                          | hosts:2:1: bad section header '[web': expected [group], [group:vars] or [group:children] with no spaces in the name
            child name      | [p:children]\\na b                | hosts:2:1: section [p:children] line 'a b' is not a group name; expected one group name per line
            undefined child | [p:children]\\nweb\\n[db]\\nd1    | hosts:2:1: section [p:children] includes undefined group 'web'; declare it with [web] or [web:children]
            undefined vars  | [h]\\nx\\n[web:vars]\\na=1        | hosts:3:1: section [web:vars] is for group 'web', which is not defined; declare it with [web] or list it under a [parent:children] section that is itself declared
            cycle           | [a:children]\\nb\\n[b:children]\\na | hosts:4:1: group 'a' is its own child (cycle a -> b -> a)
            self child      | [a:children]\\na                  | hosts:2:1: group 'a' is its own child (cycle a -> a)
            all as child    | [a:children]\\nall                | hosts:2:1: group 'all' cannot be a child of group 'a': 'all' already contains every group
            bad port        | web1:99999                        | hosts:1:1: host 'web1:99999': port '99999' is not a number 1-65535
            host is k=v     | [web]\\n ansible_host=1.2.3.4     | hosts:2:2: host line starts with 'ansible_host=1.2.3.4'; expected a host name first, then key=value variables
            priority        | [g]\\nh\\n[g:vars]\\nansible_group_priority=high | hosts:4:1: group 'g': ansible_group_priority 'high' is not a whole number
            """)
    void iniErrorsSayWhereAndWhat(String name, String text, String message) {
        assertThat(error(text.replace("\\n", "\n"), "hosts")).hasMessage(message);
    }

    @Test
    void yamlErrorsCarryPositions() {
        assertThat(error("all:\n  children:\n    web:\n      hosts:\n        - web1\n", "inv.yml")).hasMessage(
                "inv.yml:5:9: 'hosts' of group 'web' must be a mapping of host names, e.g. 'hosts: {web1: , web2: }';"
                        + " found a sequence");
        assertThat(error("all:\n  hosts:\n    web1:\n  ansible_host: x\n", "inv.yml")).hasMessage(
                "inv.yml:4:3: unexpected key 'ansible_host' in group 'all'; expected 'hosts', 'vars' or 'children'"
                        + " (host variables go under hosts: {HOST: {...}})");
        assertThat(error("all:\n  hosts:\n    web1: 10.0.0.1\n", "inv.yml")).hasMessage(
                "inv.yml:3:11: host 'web1' in group 'all' must have a mapping of variables (or nothing); found a scalar");
        assertThat(error("- a\n- b\n", "inv.yml")).hasMessageStartingWith(
                "inv.yml:1:1: a YAML inventory must be a mapping of group names");
        assertThat(error("all:\n  hosts:\n    web[1:x]:\n", "inv.yml")).hasMessage(
                "inv.yml:3:5: bad host range 'web[1:x]': expected [start:end] with numbers or letters");
        assertThat(error("a:\n  children:\n    b:\n      children:\n        a:\n", "inv.yml")).hasMessage(
                "inv.yml:5:9: group 'a' is its own child (cycle a -> b -> a)");
        assertThat(error("all:\n  vars: [1]\n", "inv.yml")).hasMessage(
                "inv.yml:2:9: 'vars' of group 'all' must be a mapping of variable names to values; found a sequence");
        assertThat(error("all:\n  hosts: {a: 1\n", "inv.yml").getMessage()).startsWith("inv.yml:3:1: invalid YAML");
    }

    @Test
    void varsFileAndFileErrors(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("hosts"), "[web]\nweb1\n");
        Files.createDirectories(dir.resolve("group_vars"));
        Files.writeString(dir.resolve("group_vars/web.yml"), "- not\n- a mapping\n");
        assertThatThrownBy(() -> Inventory.load(dir.resolve("hosts"))).isInstanceOf(ParseException.class)
                .hasMessage(dir.resolve("group_vars/web.yml") + ":1:1: a vars file must be a mapping of variable"
                        + " names to values; found a sequence");
        assertThatThrownBy(() -> Inventory.load(dir.resolve("missing"))).isInstanceOf(ParseException.class)
                .hasMessage(dir.resolve("missing") + ": inventory file not found; check the path");
    }

    @Test
    void badPortInVarsIsReportedByConnection() throws Exception {
        Inventory inv = Inventory.parse("[web]\nweb1 ansible_port=ssh\n", "hosts");
        assertThatThrownBy(() -> inv.connection("web1")).isInstanceOf(ParseException.class)
                .hasMessage("hosts:2:1: host 'web1': ansible_port 'ssh' is not a port number; expected 1-65535");
        assertThatThrownBy(() -> inv.connection("nope")).isInstanceOf(ParseException.class)
                .hasMessage("hosts: unknown host 'nope'");
    }

    /** Whatever the input, the public API throws ParseException or nothing: never an unchecked exception. */
    @Test
    void garbageNeverEscapesAsUncheckedException() {
        String alphabet = "[]:=!&*~\"'#;\\ \n\tabc019-.{},";
        String[] seeds = {"[web]\nweb[1:3] a=1\n[web:vars]\nx=1\n[p:children]\nweb\n", "all:\n  hosts:\n    h:\n"};
        Random random = new Random(42);
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder(seeds[i % 2]);
            int edits = 1 + random.nextInt(6);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(sb.length() + 1);
                sb.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = sb.toString();
            try {
                Inventory inv = Inventory.parse(text, i % 3 == 0 ? "x.yml" : "hosts");
                InventoryViews.graph(inv);
                InventoryViews.list(inv);
                inv.select(text.length() > 8 ? text.substring(0, 8) : text);
                for (Host h : inv.hosts()) {
                    inv.varsFor(h.name());
                    try {
                        inv.connection(h.name());
                    } catch (ParseException expected) {
                        // bad ports are allowed to fail, checked
                    }
                }
            } catch (ParseException expected) {
                assertThat(expected.position()).isNotNull();
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("unchecked exception for input:\n" + text, e);
            }
        }
    }
}
