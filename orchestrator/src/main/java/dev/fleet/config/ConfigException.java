package dev.fleet.config;

/** An ansible.cfg (or ANSIBLE_* variable) that cannot be read: the message names the file or variable. */
public class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
