package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code validate_argument_spec}: values (task variables named in the spec, provided_arguments over them) checked
 * on the controller with Ansible's messages (the expected texts are what ansible-playbook 2.14 printed for the
 * same spec and values, with its YAML string type {@code AnsibleUnicode} written as {@code str}).
 */
class ValidateArgumentSpecHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    @AfterEach
    void noCommandReachedTheHost() {
        assertThat(host.commands()).isEmpty();
    }

    private static final Map<String, Object> SPEC = args(
            "srv_port", args("type", "int", "required", true),
            "mode", args("type", "str", "choices", List.of("a", "b"), "default", "a"),
            "lst", args("type", "list", "elements", "int"),
            "sub", args("type", "dict", "options", args("x", args("type", "int", "required", true,
                    "aliases", List.of("ex")))));

    private TaskOutcome validate(Map<String, Object> spec, Map<String, Object> provided, Map<String, Object> vars)
            throws Exception {
        return ModuleHarness.task("validate_argument_spec", args("argument_spec", spec, "provided_arguments",
                provided)).vars(vars).on(host);
    }

    @SuppressWarnings("unchecked")
    private static List<String> errors(TaskOutcome o) {
        return (List<String>) o.data().get("argument_errors");
    }

    @Test
    void valuesThatConvertPassAndNothingChanges() throws Exception {
        TaskOutcome o = validate(SPEC, args("srv_port", "80", "lst", List.of(1, "2"), "sub", args("ex", "3")),
                Map.of());
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.msg()).isEqualTo("The arg spec validation passed");
        assertThat(o.data()).containsEntry("validate_args_context", Map.of()).doesNotContainKey("argument_errors");
    }

    @Test
    void everyErrorIsReportedInAnsiblesOrderAndWords() throws Exception {
        TaskOutcome o = validate(SPEC, args("srv_port", "x", "lst", List.of(1, "a"), "mode", "c",
                "sub", args("ex", "q", "zz", 1)), Map.of());
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(errors(o)).containsExactly(
                "argument 'srv_port' is of type <class 'str'> and we were unable to convert to int: <class 'str'>"
                        + " cannot be converted to an int",
                "Elements value for option 'lst' is of type <class 'str'> and we were unable to convert to int:"
                        + " <class 'str'> cannot be converted to an int",
                "value of mode must be one of: a, b, got: c",
                "argument 'x' is of type <class 'str'> found in 'sub'. and we were unable to convert to int:"
                        + " <class 'str'> cannot be converted to an int",
                "sub.zz. Supported parameters include: x (ex).");
        assertThat(o.msg()).isEqualTo("Validation of arguments failed:\n" + String.join("\n", errors(o)));
        assertThat(o.data()).containsEntry("argument_spec_data", SPEC);
    }

    @Test
    void theTasksVariablesNamedInTheSpecAreCheckedAndProvidedArgumentsWin() throws Exception {
        Map<String, Object> spec = args("port", args("type", "int"), "name", args("required", true));
        TaskOutcome fromVars = validate(spec, Map.of(), args("port", "x", "name", "n", "unrelated", List.of()));
        assertThat(errors(fromVars)).containsExactly("argument 'port' is of type <class 'str'> and we were unable"
                + " to convert to int: <class 'str'> cannot be converted to an int");
        assertThat(validate(spec, args("port", 8), args("port", "x", "name", "n")).status())
                .isEqualTo(TaskStatus.OK);
        assertThat(errors(validate(spec, Map.of(), Map.of()))).containsExactly("missing required arguments: name");
    }

    @Test
    void variablesThatAreTemplatesAreRenderedFirst() throws Exception {
        Map<String, Object> spec = args("port", args("type", "int"));
        assertThat(validate(spec, Map.of(), args("port", "{{ base + 1 }}", "base", 80)).status())
                .isEqualTo(TaskStatus.OK);
    }

    @Test
    void unknownArgumentsAreListedWithWhatIsSupported() throws Exception {
        TaskOutcome o = validate(args("a", args("type", "int")), args("a", 1, "b", 2), Map.of());
        assertThat(errors(o)).containsExactly("b. Supported parameters include: a.");
    }

    @Test
    void typesConvertAsAnsiblesDo() throws Exception {
        Map<String, Object> spec = args("i", args("type", "int"), "f", args("type", "float"),
                "b", args("type", "bool"), "l", args("type", "list"), "d", args("type", "dict"),
                "s", args("type", "str"), "by", args("type", "bytes"), "j", args("type", "json"));
        assertThat(validate(spec, args("i", true, "f", "1e3", "b", "YES", "l", "a,b", "d", "k=v x=y",
                "s", 37.5, "by", "10M", "j", Map.of("a", 1)), Map.of()).status()).isEqualTo(TaskStatus.OK);
        List<String> bad = errors(validate(spec, args("i", 37.0, "f", "x", "b", "maybe", "l", Map.of(),
                "d", "nope", "by", "1Mb"), Map.of()));
        assertThat(bad).hasSize(6);
        assertThat(bad.get(0)).endsWith("<class 'float'> cannot be converted to an int");
        assertThat(bad.get(1)).endsWith("<class 'str'> cannot be converted to a float");
        assertThat(bad.get(2)).contains("The value 'maybe' is not a valid boolean.  Valid booleans include: ");
        assertThat(bad.get(3)).endsWith("<class 'dict'> cannot be converted to a list");
        assertThat(bad.get(4)).endsWith("dictionary requested, could not parse JSON or key=value");
        assertThat(bad.get(5)).endsWith("<class 'str'> cannot be converted to a Byte value");
    }

    @Test
    void nestedOptionsReportTheirPathAndMissingOnes() throws Exception {
        Map<String, Object> spec = args("multi", args("type", "dict", "options", args("second", args("type", "dict",
                "options", args("third", args("type", "int", "required", true))))));
        List<String> e = errors(validate(spec, args("multi", args("second", args("other", true))), Map.of()));
        assertThat(e).containsExactly("missing required arguments: third found in multi -> second",
                "multi.second.other. Supported parameters include: third.");
    }

    @Test
    void aDictOptionGivenAStringIsReportedAsAnsibleDoes() throws Exception {
        Map<String, Object> spec = args("d", args("type", "dict", "options", args("k", args("type", "str"))));
        assertThat(errors(validate(spec, args("d", "not-a-dict"), Map.of()))).containsExactly(
                "dictionary requested, could not parse JSON or key=value",
                "argument 'd' is of type <class 'str'> and we were unable to convert to dict: dictionary requested,"
                        + " could not parse JSON or key=value",
                "value of 'd' must be of type dict or list of dicts");
    }

    @Test
    void listsOfDictsAreCheckedItemByItemAndListChoicesNameTheMisfits() throws Exception {
        Map<String, Object> spec = args("users", args("type", "list", "elements", "dict",
                "options", args("name", args("required", true), "shell", args("choices", List.of("bash", "sh")))),
                "tags", args("type", "list", "choices", List.of("a", "b")));
        List<String> e = errors(validate(spec, args("users", List.of(args("name", "x"), args("shell", "zsh")),
                "tags", List.of("a", "c", "d")), Map.of()));
        assertThat(e).containsExactly("value of tags must be one or more of: a, b. Got no match for: c, d",
                "missing required arguments: name found in users",
                "value of shell must be one of: bash, sh, got: zsh found in users");
    }

    @Test
    void theRulesOfADictOptionApplyToItsOptions() throws Exception { // ansible-playbook 2.14 gave these lists
        Map<String, Object> spec = args("tls", args("type", "dict",
                "options", args("cert", args(), "key", args(), "ca", args(), "mode", args(), "path", args()),
                "mutually_exclusive", List.of(List.of("ca", "path")),
                "required_together", List.of(List.of("cert", "key")),
                "required_if", List.of(List.of("mode", "file", List.of("path"))),
                "required_by", args("ca", List.of("mode"))));
        assertThat(errors(validate(spec, args("tls", args("cert", "c", "ca", "a", "path", "p")), Map.of())))
                .containsExactly("parameters are mutually exclusive: ca|path found in tls",
                        "parameters are required together: cert, key found in tls",
                        "missing parameter(s) required by 'ca': mode found in tls");
        assertThat(errors(validate(spec, args("tls", args("mode", "file")), Map.of())))
                .containsExactly("mode is file but all of the following are missing: path found in tls");
        assertThat(errors(validate(spec, args("tls", args("ca", "a")), Map.of())))
                .containsExactly("missing parameter(s) required by 'ca': mode found in tls");
        Map<String, Object> both = new java.util.LinkedHashMap<>(spec);
        both.put("o", args("type", "dict", "options", args("a", args(), "b", args()),
                "required_one_of", List.of(List.of("a", "b"))));
        assertThat(errors(validate(both, args("tls", args("ca", "a"), "o", args()), Map.of())))
                .containsExactly("missing parameter(s) required by 'ca': mode found in tls",
                        "one of the following is required: a, b found in o");
    }

    @Test
    void noLogValuesNeverReachTheMessage() throws Exception {
        Map<String, Object> spec = args("token", args("type", "int", "no_log", true));
        TaskOutcome o = validate(spec, args("token", "s3cr3t-value"), Map.of());
        assertThat(o.msg()).doesNotContain("s3cr3t-value").contains("argument 'token'");
    }

    @Test
    void aSpecWithRequiredAndDefaultIsAnError() throws Exception {
        Map<String, Object> spec = args("a", args("required", true, "default", 1));
        assertThat(errors(validate(spec, Map.of(), Map.of()))).first().asString()
                .isEqualTo("internal error: required and default are mutually exclusive for a");
    }

    @Test
    void badArgumentsAreRefusedNamingThem() throws Exception {
        assertThat(ModuleHarness.rejection(host, "validate_argument_spec", args())).contains("argument_spec");
        assertThat(ModuleHarness.rejection(host, "validate_argument_spec", args("argument_spec",
                args("a", "int")))).contains("the spec of 'a' must be a mapping");
        assertThat(ModuleHarness.rejection(host, "validate_argument_spec", args("argument_spec", Map.of(),
                "bogus", 1))).contains("bogus");
    }
}
