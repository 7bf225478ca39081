package dev.fleet.playbook;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The role a task belongs to, with what the engine needs to give the task its variables and find its files. One
 * instance is shared by every task of one use of a role, so the maps are not copied per task.
 *
 * @param name        the role's name as written ({@code web}, {@code ns.coll.web}), {@code role_name}
 * @param path        the role's directory, {@code role_path}
 * @param defaults    {@code defaults/} of this role over those of its dependencies and of the roles that depend on
 *                    it (Ansible's order: dependencies, then parents, then the role itself)
 * @param vars        {@code vars/} and the {@code vars:} given where the role is used, over those of its parents and
 *                    dependencies
 * @param params      role parameters ({@code - role: web} with {@code port: 80}), parents' first; seen only by the
 *                    role's own tasks, above {@code set_fact}
 * @param searchPath  where relative {@code src} and lookup paths are looked up before the task file's directory:
 *                    this role's directory, then its parents' (Ansible's {@code ansible_search_path})
 * @param parentNames {@code ansible_parent_role_names}: for a role brought in by {@code import_role}, the roles it
 *                    was imported from, innermost first; empty otherwise
 * @param once        the identity of this use (role, parameters, own when/tags/vars): on a host where an earlier
 *                    use with the same identity ran a task, this one does not run, as Ansible runs a role once per
 *                    play; null for uses that always run ({@code import_role}, {@code allow_duplicates})
 * @param repeats     runs even where its identity ran, but counts as run there: an {@code include_role} allowing
 *                    duplicates (its default), after which one with {@code allow_duplicates: false} is skipped
 */
public record RoleRef(String name, Path path, Map<String, Object> defaults, Map<String, Object> vars,
        Map<String, Object> params, List<Path> searchPath, List<String> parentNames, String once, boolean repeats) {

    public RoleRef {
        defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        searchPath = List.copyOf(searchPath);
        parentNames = List.copyOf(parentNames);
    }

    /** The short name Ansible shows and sets as {@code role_name} ({@code web} for {@code ns.coll.web}). */
    public String shortName() {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }
}
