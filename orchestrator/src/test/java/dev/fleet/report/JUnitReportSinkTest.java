package dev.fleet.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.fleet.result.RunEvent;
import dev.fleet.result.TaskStatus;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class JUnitReportSinkTest {
    @TempDir
    Path dir;

    private static void validate(Path xml) throws Exception {
        var factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        var schema = factory.newSchema(JUnitReportSinkTest.class.getResource("/junit/JUnit.xsd"));
        schema.newValidator().validate(new StreamSource(xml.toFile()));
    }

    private static Document parse(Path xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(Files.readString(xml))));
    }

    private static List<Element> elements(Document d, String tag) {
        NodeList nl = d.getElementsByTagName(tag);
        return java.util.stream.IntStream.range(0, nl.getLength()).mapToObj(i -> (Element) nl.item(i)).toList();
    }

    @Test
    void sampleRunIsValidJUnitWithOneSuitePerPlayAndOneCasePerHostTask() throws Exception {
        Path out = dir.resolve("reports/junit.xml");
        var run = Results.sampleRun(30);
        run.play("Verify", List.of("web01", "web02"));
        run.task("Verify", "site answers", "playbooks/nginx-502-recovery.yml:90:7", 2);
        run.result(Results.result("web01", "Verify", "site answers", "playbooks/nginx-502-recovery.yml:90:7",
                TaskStatus.FAILED, 22, "", "curl: (22) The requested URL returned error: 502", "non-zero return code",
                true, 1000, 50));
        run.result(Results.result("web02", "Verify", "site answers", "playbooks/nginx-502-recovery.yml:90:7",
                TaskStatus.OK, 0, "200", "", "", false, 1000, 40));
        run.endPlay("Verify");
        run.feed(new JUnitReportSink(out));

        validate(out);
        try (var files = Files.list(out.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("junit.xml"); // no temp left
        }
        Document d = parse(out);
        List<Element> suites = elements(d, "testsuite");
        assertThat(suites).extracting(e -> e.getAttribute("name")).containsExactly("Fix 502 Bad Gateway", "Verify");
        Element fix = suites.get(0);
        // 30 hosts gather facts; 3 unreachable (7, 17, 27); 27 validate config; 27 stat (9 failed: multiples of 3);
        // 18 restart
        assertThat(fix.getAttribute("tests")).isEqualTo(String.valueOf(30 + 27 + 27 + 18));
        assertThat(fix.getAttribute("errors")).isEqualTo("3");
        assertThat(fix.getAttribute("failures")).isEqualTo("9");
        assertThat(fix.getAttribute("timestamp")).isEqualTo("2026-11-25T12:00:00");
        assertThat(Double.parseDouble(fix.getAttribute("time"))).isGreaterThan(0);
        assertThat(d.getDocumentElement().getAttribute("tests")).isEqualTo(String.valueOf(102 + 2));
        assertThat(d.getDocumentElement().getAttribute("failures")).isEqualTo("9"); // the ignored one passes

        List<Element> cases = elements(d, "testcase");
        Element first = cases.get(0);
        assertThat(first.getAttribute("classname")).isEqualTo("Fix 502 Bad Gateway.web01");
        assertThat(first.getAttribute("name")).isEqualTo("Gather facts");
        // web01's cases are together, in task order
        assertThat(cases.subList(0, 4)).extracting(e -> e.getAttribute("name"))
                .containsExactly("Gather facts", "nginx config is valid", "Step 2 upstream socket", "Restart php-fpm");

        Element unreachable = (Element) elements(d, "error").get(0);
        assertThat(unreachable.getAttribute("type")).isEqualTo("unreachable");
        assertThat(((Element) unreachable.getParentNode()).getAttribute("classname")).isEqualTo("Fix 502 Bad Gateway.web07");
        assertThat(unreachable.getAttribute("message")).startsWith("connect to 10.0.1.7:22 (web07) refused");

        Element failure = elements(d, "failure").get(0);
        assertThat(failure.getAttribute("type")).isEqualTo("failed");
        assertThat(failure.getAttribute("message")).contains("connect() to unix:/run/php/php8.3-fpm.sock failed");
        assertThat(failure.getTextContent()).contains("rc: 1", "stderr:\n2026/11/25", "server: web03.example.com");

        assertThat(elements(d, "skipped")).hasSize(4); // 5, 10, 20, 25 (15 and 30 failed)
        assertThat(fix.getAttribute("skipped")).isEqualTo("4");
        Element ignored = cases.stream().filter(c -> c.getAttribute("classname").equals("Verify.web01")).findFirst().orElseThrow();
        assertThat(ignored.getElementsByTagName("failure").getLength()).isZero();
        assertThat(ignored.getElementsByTagName("system-out").item(0).getTextContent())
                .startsWith("ignored:").contains("returned error: 502");

        // the play's symptom groups, largest first, in the suite's system-out
        String suiteOut = elements(d, "system-out").stream()
                .filter(e -> e.getParentNode().getNodeName().equals("testsuite")).map(Element::getTextContent)
                .filter(t -> t.startsWith("symptoms")).findFirst().orElseThrow();
        assertThat(suiteOut).contains("hosts: Step 2 upstream socket");
    }

    @Test
    void everythingIsEscapedAndIllegalCharactersAreStripped() throws Exception {
        Path out = dir.resolve("junit.xml");
        String evil = "a <b> & \"c\" 'd' ]]> \u0000\u0001\u0008\u000b\u000c\u001b[31mred\u001b[0m \ud800 lone, \ufffe, "
                + "emoji \ud83d\ude00 end";
        var run = new Results.Run("pb <&>.yml", List.of("h\"1"));
        run.play("Play <\"&'>", List.of("h\"1"));
        run.task("Play <\"&'>", "task </testcase>", "pb.yml:1:1", 1);
        run.result(Results.result("h\"1", "Play <\"&'>", "task </testcase>", "pb.yml:1:1", TaskStatus.FAILED, 1,
                evil, evil, "msg " + evil, false, 0, 5));
        run.endPlay("Play <\"&'>");
        run.feed(new JUnitReportSink(out));

        assertThatCode(() -> validate(out)).doesNotThrowAnyException();
        Document d = parse(out);
        Element tc = elements(d, "testcase").get(0);
        assertThat(tc.getAttribute("name")).isEqualTo("task </testcase>");
        assertThat(tc.getAttribute("classname")).isEqualTo("Play <\"&'>.h\"1");
        String clean = "a <b> & \"c\" 'd' ]]> red  lone, , emoji \ud83d\ude00 end";
        assertThat(elements(d, "failure").get(0).getAttribute("message")).isEqualTo("msg " + clean + ": " + clean);
        assertThat(elements(d, "failure").get(0).getTextContent()).contains("stdout:\n" + clean, "stderr:\n" + clean);
    }

    @Test
    void multiLineMessagesStayOneLineInTheAttributeAndEmptyPlayNamesGetOne() throws Exception {
        Path out = dir.resolve("junit.xml");
        var run = new Results.Run("pb.yml", List.of("h1"));
        run.play("", List.of("h1"));
        run.result(Results.result("h1", "", "t", "pb.yml:1:1", TaskStatus.UNREACHABLE, null, "", "",
                "line one\nline two", false, 0, 5));
        run.result(Results.result("h1", "", "s", "pb.yml:2:1", TaskStatus.SKIPPED, null, "", "",
                "conditional result was false", false, 5, 0));
        run.endPlay("", "any_errors_fatal: h1 failed");
        run.feed(new JUnitReportSink(out));
        validate(out);
        Document d = parse(out);
        assertThat(elements(d, "testsuite").get(0).getAttribute("name")).isEqualTo("play 1");
        assertThat(elements(d, "error").get(0).getAttribute("message")).isEqualTo("line one");
        assertThat(elements(d, "error").get(0).getTextContent()).contains("msg: line one\nline two");
        assertThat(elements(d, "skipped").get(0).getAttribute("message")).isEqualTo("conditional result was false");
        assertThat(elements(d, "system-err").get(0).getTextContent()).isEqualTo("play aborted: any_errors_fatal: h1 failed");
    }

    @Test
    void nothingIsWrittenWithoutTheEndOfTheRun() throws Exception {
        Path out = dir.resolve("junit.xml");
        var sink = new JUnitReportSink(out);
        sink.accept(new RunEvent.RunStarted("pb.yml", List.of("h1"), Results.T0));
        sink.close();
        assertThat(out).doesNotExist();
    }

    @Test
    void theSchemaRejectsWhatCiWouldReject() {
        // guards the test itself: the XSD really is strict about the shape
        Path bad = dir.resolve("bad.xml");
        assertThatCode(() -> {
            Files.writeString(bad, "<testsuites><testsuite name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\" time=\"1\">"
                    + "<testcase name=\"a\" classname=\"b\" time=\"0\"><failure message=\"m\"/></testcase>"
                    + "</testsuite></testsuites>");
            validate(bad);
        }).hasMessageContaining("type");
        assertThatCode(() -> {
            Files.writeString(bad, "<testsuites><testsuite name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\" time=\"1\" "
                    + "timestamp=\"2026-11-25T12:00:00Z\"/></testsuites>");
            validate(bad);
        }).isInstanceOf(org.xml.sax.SAXException.class);
    }
}
