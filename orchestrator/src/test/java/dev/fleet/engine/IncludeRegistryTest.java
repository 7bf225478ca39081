package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.inventory.InventoryLoader;
import dev.fleet.playbook.Play;
import dev.fleet.playbook.Playbook;
import dev.fleet.playbook.PlaybookParser;
import dev.fleet.playbook.Task;
import dev.fleet.template.JinjaTemplater;
import dev.fleet.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a clustered run's coordinator and a worker agree on included tasks (each side with its own copy of the
 * files, in different directories, as a worker unpacks the shipped playbook), and how a worker follows the
 * coordinator's inventory changes.
 */
class IncludeRegistryTest {
    @TempDir
    Path dir;

    private static final String PLAYBOOK = """
            - hosts: all
              gather_facts: false
              tasks:
                - name: before
                  debug: msg=hi
                - name: outer
                  include_tasks: "{{ which }}.yml"
                  loop: [x, y]
            """;
    private static final String OUTER = """
            - name: outer {{ item }}
              debug: msg="{{ item }}"
            - name: go deeper
              include_tasks: inner.yml
              vars:
                level: "{{ item }}-2"
            """;
    private static final String INNER = """
            - name: inner
              debug: msg="{{ level }}"
              tags: [deep]
            """;

    private Path copy(String name) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("pb.yml"), PLAYBOOK);
        Files.writeString(d.resolve("outer.yml"), OUTER);
        Files.writeString(d.resolve("inner.yml"), INNER);
        return d.resolve("pb.yml");
    }

    private record Side(Playbook playbook, IncludeRegistry registry, TaskIncludes includes, RoleIncludes roles) {
        Task task(int i) {
            return playbook.plays().get(0).allTasks().get(i);
        }
    }

    private static Side side(Path pb) throws Exception {
        RunSetup setup = new RunSetup();
        PlaybookParser parser = setup.parser(Vault.NONE);
        Playbook playbook = parser.parse(pb);
        return new Side(playbook, new IncludeRegistry(new TaskIndex(playbook)),
                new TaskIncludes(new JinjaTemplater(), parser), new RoleIncludes(new JinjaTemplater(), parser));
    }

    /** What {@code include} included on a host, as the coordinator runs it, adopted into its registry. */
    private static List<Included> include(Side coordinator, HostState host, Task include, Map<String, Object> vars)
            throws Exception {
        coordinator.includes().include(host, include, vars);
        return coordinator.registry().adopt(0, include, host.pendingIncludes);
    }

    @Test
    void aWorkerFindsANestedIncludedTaskByTheCoordinatorsAddress() throws Exception {
        Side coordinator = side(copy("coordinator"));
        Side worker = side(copy("worker"));
        Task outer = coordinator.task(1);

        List<Included> h1 = include(coordinator, new HostState("h1"), outer, Map.of("which", "outer"));
        List<Included> h2 = include(coordinator, new HostState("h2"), outer, Map.of("which", "outer"));
        assertThat(h1).hasSize(2); // one per loop item
        // hosts that include the same file with the same item share its tasks, so every task has one address
        assertThat(h2.get(0).tasks()).isSameAs(h1.get(0).tasks());
        assertThat(h2.get(1).tasks()).isSameAs(h1.get(1).tasks());
        assertThat(h1.get(1).tasks()).isNotSameAs(h1.get(0).tasks());

        Task deeper = Play.tasksOf(h1.get(1).tasks()).get(1); // go deeper, in the include of item y
        List<Included> nested = include(coordinator, new HostState("h1"), deeper, Map.of("item", "y"));
        Task inner = Play.tasksOf(nested.get(0).tasks()).get(0);
        IncludeRegistry.Address at = coordinator.registry().address(0, inner);
        List<RemoteInclude> chain = coordinator.registry().chain(at);
        assertThat(chain).hasSize(2);
        assertThat(chain.get(0).parent()).isEqualTo(RemoteInclude.STATIC);
        assertThat(chain.get(0).file()).isEqualTo("outer.yml");
        assertThat(chain.get(0).vars()).isEqualTo(Map.of("item", "y"));
        assertThat(chain.get(1).parent()).isEqualTo(chain.get(0).id());
        // the nested include's vars: its own, and the item its task inherited from the outer include
        assertThat(chain.get(1).vars()).isEqualTo(Map.of("item", "y", "level", "{{ item }}-2"));

        for (RemoteInclude d : chain) worker.registry().define(d, worker.includes(), worker.roles());
        Task found = worker.registry().task(0, at);
        assertThat(found.name()).isEqualTo(inner.name());
        assertThat(found.keywords().tags()).containsExactly("deep");
        assertThat(found.keywords().vars()).isEqualTo(inner.keywords().vars()).containsEntry("item", "y")
                .containsEntry("level", "{{ item }}-2");
        assertThat(found.position().line()).isEqualTo(inner.position().line());
        assertThat(found.position().file()).startsWith(dir.resolve("worker").toString());
        // a task of the files keeps its static address
        assertThat(coordinator.registry().address(0, coordinator.task(0)))
                .isEqualTo(new IncludeRegistry.Address(RemoteInclude.STATIC, 0));
        assertThat(worker.registry().task(0, new IncludeRegistry.Address(RemoteInclude.STATIC, 0)).name())
                .isEqualTo("before");
    }

    @Test
    void aWorkerLoadsAnIncludedRoleFromItsOwnCopyAndFindsItsTasksAndHandlers() throws Exception {
        Side coordinator = side(roleCopy("coordinator"));
        Side worker = side(roleCopy("worker"));
        Task include = coordinator.task(0);
        HostState h1 = new HostState("h1");
        coordinator.roles().include(h1, include, Map.of("colour", "red"));
        List<Included> adopted = coordinator.registry().adopt(0, include, h1.pendingIncludes);
        assertThat(adopted).hasSize(2); // one per loop item
        Task handler = adopted.get(1).handlers().get(0);
        IncludeRegistry.Address at = coordinator.registry().address(0, handler);
        List<RemoteInclude> chain = coordinator.registry().chain(at);
        assertThat(chain).singleElement().satisfies(d -> {
            assertThat(d.role()).isEqualTo(new RemoteInclude.Role("red", Map.of("tasks", "extra")));
            assertThat(d.vars()).isEqualTo(Map.of("item", 2));
        });
        assertThat(at.task()).isEqualTo(1); // after the role's one task

        for (RemoteInclude d : chain) worker.registry().define(d, worker.includes(), worker.roles());
        Task found = worker.registry().task(0, at);
        assertThat(found.name()).isEqualTo("red handler");
        assertThat(found.role().path()).isEqualTo(dir.resolve("worker/roles/red"));
        assertThat(worker.registry().task(0, new IncludeRegistry.Address(at.include(), 0)).keywords().vars())
                .containsEntry("item", 2);
    }

    private Path roleCopy(String name) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("pb.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - include_role:
                        name: "{{ colour }}"
                        tasks_from: "{{ 'extra' }}"
                      loop: [1, 2]
                """);
        Files.createDirectories(d.resolve("roles/red/tasks"));
        Files.createDirectories(d.resolve("roles/red/handlers"));
        Files.writeString(d.resolve("roles/red/tasks/extra.yml"), "- name: extra {{ item }}\n  debug: msg=x\n");
        Files.writeString(d.resolve("roles/red/handlers/main.yml"), "- name: red handler\n  debug: msg=h\n");
        return d.resolve("pb.yml");
    }

    @Test
    void anIncludeTheWorkerWasNeverToldOfIsAnErrorNotAWrongTask() throws Exception {
        Side worker = side(copy("worker"));
        assertThatThrownBy(() -> worker.registry().task(0, new IncludeRegistry.Address(3, 0)))
                .hasMessageContaining("include 3 was never defined");
    }

    @Test
    void aWorkerReplayingTheChangesHasTheCoordinatorsInventory() throws Exception {
        RunInventory coordinator = new RunInventory(InventoryLoader.load(List.of("h1,h2,"), Vault.NONE));
        RunInventory worker = new RunInventory(InventoryLoader.load(List.of("h1,h2,"), Vault.NONE));
        InventoryUpdates.run("group_by", "h1", Map.of("key", "os-linux"), coordinator);
        InventoryUpdates.run("add_host", "h1", Map.of("name", "extra:2222", "groups", "new,os_linux",
                "ansible_host", "127.0.0.9"), coordinator);
        List<InventoryChange> first = coordinator.changes();
        InventoryUpdates.run("group_by", "h2", Map.of("key", "os-linux"), coordinator);

        worker.replay(first);
        worker.replay(coordinator.changes()); // the first two again: applied once
        assertThat(first).hasSize(2); // a reader's list does not grow under it
        assertThat(worker.groups()).isEqualTo(coordinator.groups());
        assertThat(worker.groups().get("os_linux")).containsExactlyInAnyOrder("h1", "extra", "h2");
        assertThat(worker.get().varsFor("extra")).containsEntry("ansible_host", "127.0.0.9")
                .containsEntry("ansible_port", 2222);
        assertThat(worker.changes()).isEqualTo(coordinator.changes());

        RunInventory late = new RunInventory(InventoryLoader.load(List.of("h1,h2,"), Vault.NONE));
        assertThatThrownBy(() -> late.replay(coordinator.changes().subList(2, 3)))
                .hasMessageContaining("inventory change 3 arrived after change 0");
    }
}
