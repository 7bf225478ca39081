package dev.fleet.template;

import static dev.fleet.template.Args.arg;
import static dev.fleet.template.Args.intArg;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.List;

/**
 * Every filter and test fleet adds to jinjava's, in one list: name, strictness and implementation. The
 * implementations live in family classes ({@link TypeFilters}, {@link RegexFilters}, {@link Tests}, ...).
 *
 * <p>Every filter and test refuses an undefined input or argument (like Jinja2's StrictUndefined), except the
 * lenient ones made to take one ({@code default}, {@code mandatory}, {@code defined}, {@code undefined}).
 * Ours replace jinjava's of the same name.
 */
final class Catalog {
    private Catalog() {}

    /** One entry of the catalog: a filter or a test. */
    sealed interface Entry permits FilterEntry, TestEntry {
        String name();
    }

    record FilterEntry(String name, boolean strict, Fn fn) implements Entry {}

    record TestEntry(String name, boolean strict, TestFn fn) implements Entry {}

    private static FilterEntry filter(String name, Fn fn) {
        return new FilterEntry(name, true, fn);
    }

    private static FilterEntry lenient(String name, Fn fn) {
        return new FilterEntry(name, false, fn);
    }

    private static TestEntry test(String name, TestFn fn) {
        return new TestEntry(name, true, fn);
    }

    private static TestEntry lenientTest(String name, TestFn fn) {
        return new TestEntry(name, false, fn);
    }

    static final List<Entry> ENTRIES = List.of(
            // values, types and conversions
            lenient("default", TypeFilters::dflt),
            lenient("d", TypeFilters::dflt),
            lenient("mandatory", TypeFilters::mandatory),
            filter("int", (v, a, kw) -> TypeFilters.toInt(v, arg(a, kw, 0, "default", 0), arg(a, kw, 1, "base", 10))),
            filter("float", (v, a, kw) -> TypeFilters.toFloat(v, arg(a, kw, 0, "default", 0.0))),
            filter("bool", TypeFilters::bool),
            filter("string", (v, a, kw) -> Py.str(v)),
            filter("type_debug", (v, a, kw) -> Py.typeName(v)),
            filter("ternary", TypeFilters::ternary),
            filter("min", (v, a, kw) -> TypeFilters.extreme(v, arg(a, kw, -1, "attribute", null), -1)),
            filter("max", (v, a, kw) -> TypeFilters.extreme(v, arg(a, kw, -1, "attribute", null), 1)),
            filter("round", (v, a, kw) -> TypeFilters.round(v, intArg(arg(a, kw, 0, "precision", 0)),
                    Py.str(arg(a, kw, 1, "method", "common")))),
            filter("abs", (v, a, kw) -> TypeFilters.abs(v)),
            filter("sum", TypeFilters::sum),
            // strings
            filter("join", (v, a, kw) -> StringFilters.join(v, Py.str(arg(a, kw, 0, "d", "")),
                    arg(a, kw, 1, "attribute", null))),
            filter("split", (v, a, kw) -> StringFilters.split(Py.str(v), arg(a, kw, 0, "sep", null),
                    intArg(arg(a, kw, 1, "maxsplit", -1)))),
            filter("quote", (v, a, kw) -> StringFilters.shellQuote(v == null ? "" : Py.str(v))),
            filter("b64encode", StringFilters::b64encode),
            filter("b64decode", StringFilters::b64decode),
            filter("comment", TextFilters::comment),
            filter("human_readable", TextFilters::humanReadable),
            filter("human_to_bytes", TextFilters::humanToBytes),
            filter("urlsplit", TextFilters::urlsplit),
            filter("strftime", DateFilters::strftime),
            filter("to_datetime", DateFilters::toDatetime),
            // digests
            filter("hash", HashFilters::hash),
            filter("checksum", (v, a, kw) -> HashFilters.hex("sha1", Py.str(v))),
            filter("sha1", (v, a, kw) -> HashFilters.hex("sha1", Py.str(v))),
            filter("md5", (v, a, kw) -> HashFilters.hex("md5", Py.str(v))),
            filter("to_uuid", HashFilters::toUuid),
            filter("password_hash", Sha512Crypt::passwordHash),
            // regular expressions
            filter("regex_search", RegexFilters::search),
            filter("regex_replace", RegexFilters::replace),
            filter("regex_findall", RegexFilters::findall),
            filter("regex_escape", RegexFilters::escape),
            // serialisation
            filter("to_json", (v, a, kw) -> Py.toJson(v, intArg(arg(a, kw, -1, "indent", 0)),
                    Py.truthy(arg(a, kw, -1, "sort_keys", false)), true)),
            filter("to_nice_json", (v, a, kw) -> Py.toJson(v, intArg(arg(a, kw, -1, "indent", 4)),
                    Py.truthy(arg(a, kw, -1, "sort_keys", true)), false)),
            filter("from_json", (v, a, kw) -> DataFilters.fromJson(Py.str(v))),
            filter("to_yaml", (v, a, kw) -> DataFilters.toYaml(v, false, intArg(arg(a, kw, -1, "indent", 2)))),
            filter("to_nice_yaml", (v, a, kw) -> DataFilters.toYaml(v, true, intArg(arg(a, kw, -1, "indent", 4)))),
            filter("from_yaml", (v, a, kw) -> v instanceof String s ? DataFilters.fromYaml(s) : v),
            filter("from_yaml_all", (v, a, kw) -> v instanceof String s ? DataFilters.fromYamlAll(s) : v),
            // paths
            filter("basename", (v, a, kw) -> PathFilters.basename(Py.str(v))),
            filter("dirname", (v, a, kw) -> PathFilters.dirname(Py.str(v))),
            filter("path_join", PathFilters::pathJoin),
            filter("splitext", PathFilters::splitext),
            filter("relpath", PathFilters::relpath),
            filter("expanduser", PathFilters::expanduser),
            filter("realpath", PathFilters::realpath),
            // lists and dictionaries
            filter("unique", SetFilters::unique),
            filter("union", SetFilters::union),
            filter("intersect", SetFilters::intersect),
            filter("difference", SetFilters::difference),
            filter("symmetric_difference", SetFilters::symmetricDifference),
            filter("product", SetFilters::product),
            filter("permutations", SetFilters::permutations),
            filter("combinations", SetFilters::combinations),
            filter("zip", (v, a, kw) -> SetFilters.zip(v, a, kw, false)),
            filter("zip_longest", (v, a, kw) -> SetFilters.zip(v, a, kw, true)),
            filter("random", RandomFilters::random),
            filter("shuffle", RandomFilters::shuffle),
            filter("extract", CollectionFilters::extract),
            filter("subelements", CollectionFilters::subelements),
            filter("flatten", CollectionFilters::flatten),
            filter("sort", CollectionFilters::sort),
            filter("reverse", CollectionFilters::reverse),
            filter("list", CollectionFilters::toList),
            filter("combine", CollectionFilters::combine),
            filter("dict2items", CollectionFilters::dict2items),
            filter("items2dict", CollectionFilters::items2dict),

            // tests
            lenientTest("defined", (v, a) -> !(v instanceof Undefined)),
            lenientTest("undefined", (v, a) -> v instanceof Undefined),
            test("failed", (v, a) -> Tests.flag(v, "failed", "failed")),
            test("succeeded", (v, a) -> !Tests.flag(v, "failed", "succeeded")),
            test("success", (v, a) -> !Tests.flag(v, "failed", "success")),
            test("successful", (v, a) -> !Tests.flag(v, "failed", "successful")),
            test("changed", (v, a) -> Tests.changed(v)),
            test("change", (v, a) -> Tests.changed(v)),
            test("skipped", (v, a) -> Tests.flag(v, "skipped", "skipped")),
            test("skip", (v, a) -> Tests.flag(v, "skipped", "skip")),
            test("unreachable", (v, a) -> Tests.flag(v, "unreachable", "unreachable")),
            test("reachable", (v, a) -> !Tests.flag(v, "unreachable", "reachable")),
            test("none", (v, a) -> v == null),
            test(DotIndex.NONE_TEST, (v, a) -> v == null), // `is none`, renamed by DotIndex
            test("match", (v, a) -> RegexFilters.test(v, a, "match")),
            test("search", (v, a) -> RegexFilters.test(v, a, "search")),
            test("regex", (v, a) -> RegexFilters.test(v, a, a.length > 3 ? Py.str(a[3]) : "search")),
            test("version", VersionTest::test),
            test("version_compare", VersionTest::test),
            test("contains", (v, a) -> a.length > 0 && Tests.contains(v, a[0])),
            test("subset", Tests::subset),
            test("issubset", Tests::subset),
            test("superset", (v, a) -> a.length > 0 && Tests.subset(a[0], new Object[] {v})),
            test("issuperset", (v, a) -> a.length > 0 && Tests.subset(a[0], new Object[] {v})),
            test("truthy", Tests::truthy),
            test("falsy", (v, a) -> !Tests.truthy(v, a)),
            test("any", (v, a) -> Tests.anyOrAll(v, false)),
            test("all", (v, a) -> Tests.anyOrAll(v, true)),
            test("abs", (v, a) -> Tests.path(v, "abs")),
            test("file", (v, a) -> Tests.path(v, "file")),
            test("is_file", (v, a) -> Tests.path(v, "file")),
            test("directory", (v, a) -> Tests.path(v, "directory")),
            test("is_dir", (v, a) -> Tests.path(v, "directory")),
            test("link", (v, a) -> Tests.path(v, "link")),
            test("is_link", (v, a) -> Tests.path(v, "link")),
            test("exists", (v, a) -> Tests.path(v, "exists")),
            test("in", (v, a) -> a.length > 0 && Tests.contains(a[0], v)));

    /** Makes jinjava's own filters and tests strict, then adds (or replaces with) the catalog's. */
    static void install(Context global) {
        global.registerTag(new Wrappers.StrictForTag());
        global.registerTag(new PythonTruth.IfTag());
        for (Filter f : List.copyOf(global.getAllFilters())) global.registerFilter(new Wrappers.StrictFilter(f));
        for (ExpTest t : List.copyOf(global.getAllExpTests())) global.registerExpTest(new Wrappers.StrictTest(t));
        for (Entry e : ENTRIES) {
            switch (e) {
                case FilterEntry f -> {
                    Filter impl = new Wrappers.FnFilter(f.name(), f.fn());
                    global.registerFilter(f.strict() ? new Wrappers.StrictFilter(impl) : impl);
                }
                case TestEntry t -> {
                    ExpTest impl = new Wrappers.FnTest(t.name(), t.fn());
                    global.registerExpTest(t.strict() ? new Wrappers.StrictTest(impl) : impl);
                }
            }
        }
    }
}
