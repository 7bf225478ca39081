package dev.fleet.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.yaml.ParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostPatternTest {
    static final Inventory INV;

    static {
        try {
            INV = Inventory.parse("""
                    lone
                    [web]
                    web1.example.com
                    web2.example.com
                    web10.example.com
                    [db]
                    db1
                    db2
                    [prod]
                    web1.example.com
                    db1
                    [staging]
                    web2.example.com
                    db2
                    [empty]
                    """, "hosts");
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> sel(String pattern) {
        return INV.select(pattern).stream().map(Host::name).toList();
    }

    @Test
    void allAndStar() {
        List<String> every = List.of("lone", "web1.example.com", "web2.example.com", "web10.example.com", "db1", "db2");
        assertThat(sel("all")).isEqualTo(every);
        assertThat(sel("*")).isEqualTo(every);
    }

    @Test
    void groupsHostsAndUnionsInInventoryOrderWithoutDuplicates() {
        assertThat(sel("db")).containsExactly("db1", "db2");
        assertThat(sel("db1")).containsExactly("db1");
        assertThat(sel("db:web")).containsExactly("web1.example.com", "web2.example.com", "web10.example.com", "db1",
                "db2");
        assertThat(sel("prod, db , lone")).containsExactly("lone", "web1.example.com", "db1", "db2");
    }

    @Test
    void intersectionAndExclusion() {
        assertThat(sel("web:&prod")).containsExactly("web1.example.com");
        assertThat(sel("all:!prod:!lone")).containsExactly("web2.example.com", "web10.example.com", "db2");
        // Ansible applies ! and & after the plain terms, whatever the order
        assertThat(sel("!staging:db")).containsExactly("db1");
        assertThat(sel("!web")).containsExactly("lone", "db1", "db2");
        assertThat(sel("web,&staging,!db")).containsExactly("web2.example.com");
    }

    @Test
    void wildcardsAndRegex() {
        assertThat(sel("web*")).containsExactly("web1.example.com", "web2.example.com", "web10.example.com");
        assertThat(sel("*.example.com:!web1.*")).containsExactly("web2.example.com", "web10.example.com");
        assertThat(sel("db?")).containsExactly("db1", "db2");
        assertThat(sel("st*")).containsExactly("web2.example.com", "db2");
        assertThat(sel("~web\\d\\.")).containsExactly("web1.example.com", "web2.example.com");
        assertThat(sel("~(db|lone)")).containsExactly("lone", "db1", "db2");
        // globs match whole names; regexes are anchored at the start only (Python re.match)
        assertThat(sel("eb*")).isEmpty();
        assertThat(sel("db")).containsExactly("db1", "db2");
        assertThat(sel("~eb1")).isEmpty();
        assertThat(sel("~.*eb1")).containsExactly("web1.example.com", "web10.example.com");
        assertThat(sel("~db1")).containsExactly("db1");
    }

    @Test
    void subscripts() {
        assertThat(sel("web[0]")).containsExactly("web1.example.com");
        assertThat(sel("web[-1]")).containsExactly("web10.example.com");
        assertThat(sel("web[0:1]")).containsExactly("web1.example.com", "web2.example.com");
        assertThat(sel("web[1:]")).containsExactly("web2.example.com", "web10.example.com");
        assertThat(sel("web[5]")).isEmpty();
    }

    @Test
    void unmatchedTermsAreWarningsNotErrors() {
        HostPattern.Selection s = INV.selectWithWarnings("db:xyz:empty:!nothere");
        assertThat(s.hosts()).extracting(Host::name).containsExactly("db1", "db2");
        assertThat(s.warnings()).containsExactly("pattern 'xyz' matched no hosts",
                "pattern 'empty' matched no hosts (group 'empty' has no hosts)",
                "pattern 'nothere' matched no hosts");
        assertThat(INV.selectWithWarnings("db").warnings()).isEmpty();
    }

    @Test
    void badPatternsAreParseErrorsWithColumns() {
        assertThatThrownBy(() -> HostPattern.parse("web:~db(")).isInstanceOf(ParseException.class)
                .hasMessageStartingWith("host pattern:1:")
                .hasMessageContaining("bad regular expression in host pattern '~db('");
        assertThatThrownBy(() -> HostPattern.parse("web:!")).isInstanceOf(ParseException.class)
                .hasMessage("host pattern:1:6: host pattern 'web:!': '!' needs a name after the operator");
        assertThatThrownBy(() -> HostPattern.parse(" ")).isInstanceOf(ParseException.class);
        assertThat(INV.select("~(")).isEmpty();
        assertThat(INV.selectWithWarnings("~(").warnings()).singleElement().asString()
                .contains("bad regular expression");
    }
}
