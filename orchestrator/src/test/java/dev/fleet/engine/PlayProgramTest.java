package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.engine.PlayProgram.Step;
import dev.fleet.modules.ModuleRegistry;
import dev.fleet.playbook.Play;
import dev.fleet.playbook.PlaybookParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a play compiles into the flat step list every strategy walks. */
class PlayProgramTest {
    @TempDir
    Path dir;

    private Play play(String yaml) throws Exception {
        Path pb = Files.writeString(dir.resolve("p.yml"), yaml);
        return new PlaybookParser(ModuleRegistry.builtin(), Strategies.names()).parse(pb).plays().get(0);
    }

    private static List<String> shape(PlayProgram p) {
        return p.steps.stream().map(s -> switch (s) {
            case Step.GatherFacts g -> "facts";
            case Step.RunTask t -> "task:" + t.task().displayName() + "@" + t.frames().size();
            case Step.RunHandler hd -> "handler:" + hd.handler().displayName();
            case Step.EndBlock e -> "end@" + e.frames().size();
            case Step.IncludedHandlers i -> "included handlers";
        }).toList();
    }

    @Test
    void factsFirstThenTasksWithBlocksFlattenedThenHandlers() throws Exception {
        Play p = play("""
                - hosts: all
                  tasks:
                    - name: a
                      command: echo a
                    - block:
                        - name: b
                          command: echo b
                      rescue:
                        - name: c
                          command: echo c
                  handlers:
                    - name: h
                      command: echo h
                """);
        assertThat(shape(new PlayProgram(p, new TagFilter(Set.of(), Set.of()))))
                .containsExactly("facts", "task:a@0", "task:b@1", "task:c@1", "end@0", "handler:h",
                        "included handlers");
    }

    @Test
    void flushHandlersAndPrePostTasksPlaceHandlerSteps() throws Exception {
        Play p = play("""
                - hosts: all
                  gather_facts: false
                  pre_tasks:
                    - name: pre
                      command: echo pre
                  tasks:
                    - name: t
                      command: echo t
                    - meta: flush_handlers
                    - name: u
                      command: echo u
                  handlers:
                    - name: h
                      command: echo h
                """);
        // after the play's handlers at each flush, those of the roles include_role brought in by then
        assertThat(shape(new PlayProgram(p, new TagFilter(Set.of(), Set.of())))).containsExactly(
                "task:pre@0", "handler:h", "included handlers", "task:t@0", "handler:h", "included handlers",
                "task:u@0", "handler:h", "included handlers");
    }

    @Test
    void tagsSelectTasksWithAlwaysAndNeverAsAnsibleDoes() throws Exception {
        Play p = play("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - {name: a, command: echo a, tags: [web]}
                    - {name: b, command: echo b, tags: [db]}
                    - {name: c, command: echo c, tags: [always]}
                    - {name: d, command: echo d, tags: [never, debug]}
                    - {name: e, command: echo e}
                """);
        assertThat(shape(new PlayProgram(p, new TagFilter(Set.of("web"), Set.of()))))
                .containsExactly("task:a@0", "task:c@0", "included handlers");
        assertThat(shape(new PlayProgram(p, new TagFilter(Set.of(), Set.of()))))
                .containsExactly("task:a@0", "task:b@0", "task:c@0", "task:e@0", "included handlers");
        assertThat(shape(new PlayProgram(p, new TagFilter(Set.of("debug"), Set.of()))))
                .containsExactly("task:c@0", "task:d@0", "included handlers");
        assertThat(shape(new PlayProgram(p, new TagFilter(Set.of("untagged"), Set.of("always")))))
                .containsExactly("task:e@0", "included handlers");
    }
}
