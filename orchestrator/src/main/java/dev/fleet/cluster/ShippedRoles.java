package dev.fleet.cluster;

import dev.fleet.playbook.Play;
import dev.fleet.playbook.Playbook;
import dev.fleet.playbook.RoleLoader;
import dev.fleet.playbook.RoleRef;
import dev.fleet.playbook.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The roles a playbook uses from outside its directory (the roles path: ansible.cfg's {@code roles_path},
 * {@code ANSIBLE_ROLES_PATH}, {@code ~/.ansible/roles} ...), and how a worker finds them again: entry {@code i} of
 * the coordinator's roles path becomes {@code roles_path/i/} in the shipped archive (only the roles used are in it),
 * and the worker parses with those directories as its roles path, in the same order, so a role resolves to the
 * same files as on the coordinator. A roles path entry inside the playbook's directory stays where it is.
 *
 * @param archiveRoots archive directory name to the role directory to ship there
 * @param workerRolesPath the worker's roles path, relative to its run directory
 */
record ShippedRoles(Map<String, Path> archiveRoots, List<String> workerRolesPath) {
    static final String ROLES_PATH = "roles_path";

    ShippedRoles {
        archiveRoots = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(archiveRoots));
        workerRolesPath = List.copyOf(workerRolesPath);
    }

    /** What to ship for {@code playbook} (in {@code playbookDir}) parsed with {@code rolesPath}. */
    static ShippedRoles of(Playbook playbook, Path playbookDir, List<Path> rolesPath) throws ClusterException {
        Path base = playbookDir.toAbsolutePath().normalize();
        List<Path> entries = rolesPath.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        List<String> workerPath = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Path e = entries.get(i);
            workerPath.add(e.startsWith(base) ? PlaybookArchive.PLAYBOOK + slashed(base.relativize(e))
                    : ROLES_PATH + "/" + i);
        }
        Map<String, Path> roots = new LinkedHashMap<>();
        for (Path role : used(playbook, base, rolesPath)) {
            if (role.startsWith(base)) {
                // a role linked in from elsewhere: the archive does not follow links, so it is shipped itself
                if (!real(role).startsWith(real(base))) {
                    roots.put(PlaybookArchive.PLAYBOOK + slashed(base.relativize(role)), role);
                }
                continue;
            }
            int i = entries.indexOf(role.getParent());
            if (i < 0) {
                throw new ClusterException("the role " + role + " is outside the playbook's directory " + base
                        + " and not directly in a roles_path directory (" + entries + "), so a clustered run cannot "
                        + "ship it to the workers; put it in roles/ beside the playbook, or add its parent directory "
                        + "to roles_path (ansible.cfg or ANSIBLE_ROLES_PATH)");
            }
            roots.put(ROLES_PATH + "/" + i + "/" + role.getFileName(), role);
        }
        return new ShippedRoles(roots, workerPath);
    }

    /**
     * The directories of the roles the playbook uses, as the parser found them: those its tasks and handlers come
     * from with their parents, the play's roles by name (a role with only defaults or vars has no tasks), and the
     * roles {@code include_role} names literally with their dependencies. A role named by a template is known only
     * when a host runs the include: it reaches the workers only if it sits in the playbook's directory (shipped
     * whole), e.g. in {@code roles/} beside the playbook.
     */
    static Set<Path> used(Playbook playbook, Path playbookDir, List<Path> rolesPath) {
        Set<Path> out = new LinkedHashSet<>();
        for (Play p : playbook.plays()) {
            List<Task> tasks = new ArrayList<>(p.allTasks());
            tasks.addAll(p.handlers());
            for (Task t : tasks) {
                // include_role with a literal name: the parser loaded it and listed the directories it reads
                if (t.args().get("_roleDirs") instanceof List<?> dirs) {
                    dirs.forEach(d -> out.add(Path.of(String.valueOf(d)).toAbsolutePath().normalize()));
                }
                RoleRef r = t.role();
                if (r == null) continue;
                out.add(r.path().toAbsolutePath().normalize());
                for (Path s : r.searchPath()) out.add(s.toAbsolutePath().normalize());
            }
            List<String> names = new ArrayList<>(p.roles().names());
            names.addAll(p.roles().dependentNames());
            for (String name : names) {
                for (Path c : RoleLoader.candidates(name, playbookDir, null, rolesPath)) {
                    if (Files.isDirectory(c)) {
                        out.add(c.toAbsolutePath().normalize());
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static String slashed(Path relative) {
        String s = relative.toString().replace('\\', '/');
        return s.isEmpty() ? "" : "/" + s;
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }
}
