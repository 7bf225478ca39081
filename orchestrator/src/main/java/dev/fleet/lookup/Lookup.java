package dev.fleet.lookup;

import java.util.List;
import java.util.Map;

/**
 * One lookup plugin, as Ansible's {@code lookup()}, {@code query()} and {@code with_<name>} loops call it.
 *
 * <p>A plugin receives the terms already templated and already made a list: {@code lookup('file', 'a', 'b')}
 * passes {@code ['a', 'b']}, and {@code with_file: a} passes {@code ['a']} (see {@link Lookups#terms}). It
 * always returns a list; turning that into one string is the caller's business, as in Ansible.
 *
 * <p>Implementations are stateless and shared by all hosts at once; each is registered in {@link Lookups}.
 */
public interface Lookup {
    /**
     * Most bytes one lookup reads from one controller file or command: its answer is held in memory whole, and
     * no template makes a string or an output longer than 16 Mi characters (JinjaTemplater.DEFAULT_MAX_OUTPUT).
     */
    long MAX_TEXT_BYTES = 16L << 20;

    /** The short name ({@code file}); {@link Lookups} also answers to {@code ansible.builtin.file}. */
    String name();

    /**
     * @param terms   the templated terms, one per positional argument of {@code lookup()}
     * @param options the keyword arguments of {@code lookup()} (empty for {@code with_} loops)
     * @param ctx     where relative files are found and what the variables are
     */
    List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx) throws LookupException;
}
