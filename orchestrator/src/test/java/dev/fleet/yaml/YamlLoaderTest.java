package dev.fleet.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class YamlLoaderTest {

    @Test
    void nodesRememberLineAndColumn() throws Exception {
        YamlNode root = YamlLoader.load("- hosts: all\n  tasks:\n    - ping:\n", "pb.yml");
        var play = (YamlNode.Mapping) ((YamlNode.Sequence) root).items().get(0);
        assertThat(play.position()).isEqualTo(new SourcePosition("pb.yml", 1, 3));
        assertThat(play.keyPosition("tasks")).isEqualTo(new SourcePosition("pb.yml", 2, 3));
        assertThat(play.get("tasks").position().line()).isEqualTo(3);
    }

    @Test
    void scalarsKeepTheirYamlTypes() throws Exception {
        var m = (YamlNode.Mapping) YamlLoader.load("a: 22\nb: yes\nc: '22'\nd: ~\ne: 1.5\n", "v.yml");
        assertThat(((YamlNode.Scalar) m.get("a")).value()).isEqualTo(22);
        assertThat(((YamlNode.Scalar) m.get("b")).value()).isEqualTo(true);
        assertThat(((YamlNode.Scalar) m.get("c")).value()).isEqualTo("22");
        assertThat(((YamlNode.Scalar) m.get("d")).isNull()).isTrue();
        assertThat(((YamlNode.Scalar) m.get("e")).value()).isEqualTo(1.5);
    }

    @Test
    void badYamlNamesLineAndColumn() {
        assertThatThrownBy(() -> YamlLoader.load("- hosts: all\n  tasks:\n    - shell: echo 'a\n  bad: [\n", "x.yml"))
                .isInstanceOf(ParseException.class)
                .satisfies(e -> {
                    var pe = (ParseException) e;
                    assertThat(pe.position().file()).isEqualTo("x.yml");
                    assertThat(pe.position().line()).isGreaterThan(0);
                    assertThat(pe.getMessage()).startsWith("x.yml:").contains("invalid YAML");
                });
    }

    @Test
    void tabIndentationIsReportedWhereItIs() {
        assertThatThrownBy(() -> YamlLoader.load("a: 1\n\tb: 2\n", "t.yml"))
                .isInstanceOf(ParseException.class)
                .hasMessageStartingWith("t.yml:2:1");
    }

    @Test
    void duplicateKeysAreAnErrorNamingBoth() {
        assertThatThrownBy(() -> YamlLoader.load("name: a\nhosts: all\nname: b\n", "d.yml"))
                .isInstanceOf(ParseException.class)
                .hasMessageStartingWith("d.yml:3:1")
                .hasMessageContaining("duplicate key 'name'")
                .hasMessageContaining("line 1");
    }

    @Test
    void aliasBombIsRefused() {
        String bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                + "f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n";
        assertThatThrownBy(() -> YamlLoader.load(bomb, "bomb.yml")).isInstanceOf(ParseException.class);
    }

    @Test
    void emptyDocumentIsNull() throws Exception {
        assertThat(YamlLoader.load("# only a comment\n", "e.yml")).isNull();
    }
}
