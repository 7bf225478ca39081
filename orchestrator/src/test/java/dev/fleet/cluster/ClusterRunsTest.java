package dev.fleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.engine.RunSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a clustered run refuses before it joins the cluster. */
class ClusterRunsTest {
    @TempDir
    Path dir;

    private String refusal(String yaml) throws Exception {
        Path pb = dir.resolve("pb.yml");
        Files.writeString(pb, yaml);
        Files.writeString(dir.resolve("more.yml"), "- debug: msg=hi\n");
        return ClusterRuns.unsupported(new RunSetup().parse(pb));
    }

    @Test
    void dynamicIncludesAndInventoryChangesAreRefusedWithWhereTheyAre() throws Exception {
        String why = refusal("""
                - hosts: all
                  tasks:
                    - include_tasks: more.yml
                    - add_host: {name: extra}
                """);
        assertThat(why).contains("include_tasks at ").contains("pb.yml:3").contains("add_host at ")
                .contains("use import_tasks/import_role, or run it in one JVM");
    }

    @Test
    void staticImportsRunOnTheCluster() throws Exception {
        assertThat(refusal("""
                - hosts: all
                  tasks:
                    - import_tasks: more.yml
                    - debug: msg=hi
                      run_once: true
                """)).isNull();
    }
}
