package dev.fleet.yaml;

/** A place in a source file, 1-based, printed as {@code file:line:column} like compilers do. */
public record SourcePosition(String file, int line, int column) {
    public static SourcePosition of(String file) {
        return new SourcePosition(file, 0, 0);
    }

    @Override
    public String toString() {
        if (line <= 0) return file;
        return file + ":" + line + ":" + column;
    }
}
