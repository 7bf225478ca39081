package dev.fleet.doctor;

/**
 * The first thing that stands between fleet and a working login on a host, in the order a connection meets them
 * (name, TCP, SSH banner and handshake, host key, user and key, sudo), and what usually fixes it. {@code fix} may
 * name {@code USER}, {@code ADDR}, {@code PORT}, {@code KNOWN_HOSTS} and {@code KEY}, which {@link Diagnosis}
 * fills in from the host's own message where it can.
 */
public enum Finding {
    RESOLVE("the host name does not resolve",
            "check ansible_host in the inventory (getent hosts ADDR on this machine must answer)"),
    NO_ROUTE("no route to the host", "check the address and this machine's routes (ip route get ADDR)"),
    REFUSED("nothing listens on the SSH port",
            "start sshd on the host (service ssh start, or systemctl start ssh), or set ansible_port to its port"),
    CONNECT_TIMEOUT("the TCP connect timed out",
            "the host is down or a firewall drops the packets: check that PORT is open to this machine, "
                    + "or raise --connect-timeout"),
    NO_BANNER("the port does not speak SSH",
            "check ansible_port (PORT answers, but not with an SSH banner), or sshd's MaxStartups / tcp wrappers"),
    HANDSHAKE("the SSH handshake failed", "compare sshd's KexAlgorithms/HostKeyAlgorithms with what fleet offers "
            + "(curve25519, ecdh, ed25519, rsa-sha2); sshd's log on the host says which side gave up"),
    HOST_KEY_UNKNOWN("the host key is not in known_hosts",
            "check the fingerprint out of band, then: ssh-keyscan -p PORT ADDR >> KNOWN_HOSTS "
                    + "(or run once with --host-key-checking=accept-new)"),
    HOST_KEY_CHANGED("the host key changed",
            "only if the host was reinstalled: ssh-keygen -R '[ADDR]:PORT' -f KNOWN_HOSTS, then add the new key; "
                    + "otherwise treat it as an attack"),
    KEY_REFUSED("the server accepted none of the offered keys (or the user does not exist)",
            "authorize the key: ssh-copy-id -i KEY.pub USER@ADDR -p PORT (or append it to ~USER/.ssh/authorized_keys)"
                    + "; check that USER exists on the host: to SSH a wrong user looks the same"),
    NO_KEY("no private key to offer",
            "set ansible_ssh_private_key_file or --private-key, or load a key into ssh-agent"),
    SUDO_PASSWORD("sudo needs a password",
            "run with -K (or FLEET_BECOME_PASS), or give USER passwordless sudo in /etc/sudoers.d"),
    NO_SUDO("sudo is not installed", "install it (apt-get install sudo) or log in as a user that needs no become"),
    OTHER("the login failed", "read the message; run ssh -v -p PORT USER@ADDR to see more"),
    OK("logs in", "");

    private final String title;
    private final String fix;

    Finding(String title, String fix) {
        this.title = title;
        this.fix = fix;
    }

    public String title() {
        return title;
    }

    /** What usually fixes it, with placeholders (see the class comment); empty for {@link #OK}. */
    public String fix() {
        return fix;
    }
}
