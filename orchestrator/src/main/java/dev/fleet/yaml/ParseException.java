package dev.fleet.yaml;

/**
 * Input (playbook, inventory, vars file, template) that cannot be understood. Always carries where the problem is
 * and what was expected, so the message can be shown to the operator as is.
 */
public class ParseException extends Exception {
    private final SourcePosition position;
    private final String problem;

    public ParseException(SourcePosition position, String problem) {
        super(position + ": " + problem);
        this.position = position;
        this.problem = problem;
    }

    public ParseException(SourcePosition position, String problem, Throwable cause) {
        super(position + ": " + problem, cause);
        this.position = position;
        this.problem = problem;
    }

    public SourcePosition position() {
        return position;
    }

    public String problem() {
        return problem;
    }
}
