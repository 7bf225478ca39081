package dev.fleet.template;

/** A template that cannot be rendered: an undefined variable, bad syntax. The message names the variable. */
public class TemplateException extends Exception {
    public TemplateException(String message) {
        super(message);
    }
}
