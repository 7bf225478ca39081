package dev.fleet.template;

import static dev.fleet.template.Args.arg;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.time.temporal.WeekFields;
import java.util.Locale;
import java.util.Map;

/** {@code strftime} and {@code to_datetime}, with Python's (C library's) format directives. */
final class DateFilters {
    private DateFilters() {}

    /** {@code fmt | strftime(second=None, utc=False)}: the given epoch second (or now), local time unless utc. */
    static Object strftime(Object v, Object[] a, Map<String, Object> kw) {
        Object second = arg(a, kw, 0, "second", null);
        boolean utc = Py.truthy(arg(a, kw, 1, "utc", false));
        Instant at;
        if (second == null) {
            at = Instant.now();
        } else if (TypeFilters.toFloat(second, null) instanceof Number n) {
            at = Instant.ofEpochSecond((long) Math.floor(n.doubleValue()));
        } else {
            throw new FilterFailure("Invalid value for epoch value (" + Py.str(second) + ")");
        }
        return format(Py.str(v), ZonedDateTime.ofInstant(at, utc ? ZoneOffset.UTC : ZoneId.systemDefault()));
    }

    /** C's strftime directives, as glibc writes them in the C locale. */
    static String format(String fmt, ZonedDateTime t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%' || i + 1 >= fmt.length()) {
                sb.append(c);
                continue;
            }
            char d = fmt.charAt(++i);
            sb.append(switch (d) {
                case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT);
                case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ROOT);
                case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ROOT);
                case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.ROOT);
                case 'c' -> format("%a %b %e %H:%M:%S %Y", t);
                case 'C' -> two(t.getYear() / 100);
                case 'd' -> two(t.getDayOfMonth());
                case 'D', 'x' -> format("%m/%d/%y", t);
                case 'e' -> String.format("%2d", t.getDayOfMonth());
                case 'F' -> format("%Y-%m-%d", t);
                case 'H' -> two(t.getHour());
                case 'I' -> two(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
                case 'j' -> String.format("%03d", t.getDayOfYear());
                case 'k' -> String.format("%2d", t.getHour());
                case 'l' -> String.format("%2d", t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
                case 'm' -> two(t.getMonthValue());
                case 'M' -> two(t.getMinute());
                case 'n' -> "\n";
                case 'p' -> t.getHour() < 12 ? "AM" : "PM";
                case 'P' -> t.getHour() < 12 ? "am" : "pm";
                case 'R' -> format("%H:%M", t);
                case 's' -> String.valueOf(t.toEpochSecond());
                case 'S' -> two(t.getSecond());
                case 't' -> "\t";
                case 'T', 'X' -> format("%H:%M:%S", t);
                case 'u' -> String.valueOf(t.getDayOfWeek().getValue());
                case 'w' -> String.valueOf(t.getDayOfWeek().getValue() % 7);
                // week 0 before the first Sunday
                case 'U' -> two(t.get(WeekFields.of(java.time.DayOfWeek.SUNDAY, 7).weekOfYear()));
                case 'W' -> two(t.get(WeekFields.of(java.time.DayOfWeek.MONDAY, 7).weekOfYear()));
                case 'V' -> two(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
                case 'G' -> String.valueOf(t.get(IsoFields.WEEK_BASED_YEAR));
                case 'y' -> two(t.getYear() % 100);
                case 'Y' -> String.valueOf(t.getYear());
                case 'z' -> t.getOffset().getTotalSeconds() == 0 ? "+0000"
                        : t.getOffset().getId().replace(":", "");
                case 'Z' -> t.getZone() instanceof ZoneOffset o && o.getTotalSeconds() == 0 ? "GMT" // as time.gmtime
                        : t.getZone().getDisplayName(TextStyle.SHORT, Locale.ROOT);
                case 'f' -> String.format("%06d", t.getNano() / 1000);
                case '%' -> "%";
                default -> "%" + d;
            });
        }
        return sb.toString();
    }

    private static String two(int n) {
        return String.format("%02d", n);
    }

    /** A Python datetime as templates see it: its fields, and str() like Python's. */
    public record PyDateTime(LocalDateTime value) {
        public int getYear() {
            return value.getYear();
        }

        public int getMonth() {
            return value.getMonthValue();
        }

        public int getDay() {
            return value.getDayOfMonth();
        }

        public int getHour() {
            return value.getHour();
        }

        public int getMinute() {
            return value.getMinute();
        }

        public int getSecond() {
            return value.getSecond();
        }

        public int getMicrosecond() {
            return value.getNano() / 1000;
        }

        @Override
        public String toString() {
            String s = value.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
            return value.getNano() == 0 ? s : s + String.format(".%06d", value.getNano() / 1000);
        }
    }

    /** {@code to_datetime(format='%Y-%m-%d %H:%M:%S')}: Python's datetime.strptime. */
    static Object toDatetime(Object v, Object[] a, Map<String, Object> kw) {
        String fmt = Py.str(arg(a, kw, 0, "format", "%Y-%m-%d %H:%M:%S"));
        String text = Py.str(v);
        try {
            var parsed = parser(fmt).parse(text);
            LocalDateTime t = LocalDateTime.of(
                    parsed.isSupported(ChronoField.YEAR) ? parsed.get(ChronoField.YEAR) : 1900,
                    parsed.isSupported(ChronoField.MONTH_OF_YEAR) ? parsed.get(ChronoField.MONTH_OF_YEAR) : 1,
                    parsed.isSupported(ChronoField.DAY_OF_MONTH) ? parsed.get(ChronoField.DAY_OF_MONTH) : 1,
                    parsed.isSupported(ChronoField.HOUR_OF_DAY) ? parsed.get(ChronoField.HOUR_OF_DAY) : 0,
                    parsed.isSupported(ChronoField.MINUTE_OF_HOUR) ? parsed.get(ChronoField.MINUTE_OF_HOUR) : 0,
                    parsed.isSupported(ChronoField.SECOND_OF_MINUTE) ? parsed.get(ChronoField.SECOND_OF_MINUTE) : 0,
                    parsed.isSupported(ChronoField.NANO_OF_SECOND) ? parsed.get(ChronoField.NANO_OF_SECOND) : 0);
            return new PyDateTime(t);
        } catch (java.time.DateTimeException e) {
            throw new FilterFailure("time data '" + text + "' does not match format '" + fmt + "'");
        }
    }

    private static DateTimeFormatter parser(String fmt) {
        DateTimeFormatterBuilder b = new DateTimeFormatterBuilder().parseCaseInsensitive();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%' || i + 1 >= fmt.length()) {
                b.appendLiteral(c);
                continue;
            }
            char d = fmt.charAt(++i);
            switch (d) {
                case 'Y' -> b.appendValue(ChronoField.YEAR, 4);
                case 'y' -> b.appendValueReduced(ChronoField.YEAR, 2, 2, 1969);
                case 'm' -> b.appendValue(ChronoField.MONTH_OF_YEAR, 1, 2, java.time.format.SignStyle.NOT_NEGATIVE);
                case 'd' -> b.appendValue(ChronoField.DAY_OF_MONTH, 1, 2, java.time.format.SignStyle.NOT_NEGATIVE);
                case 'H' -> b.appendValue(ChronoField.HOUR_OF_DAY, 1, 2, java.time.format.SignStyle.NOT_NEGATIVE);
                case 'M' -> b.appendValue(ChronoField.MINUTE_OF_HOUR, 1, 2, java.time.format.SignStyle.NOT_NEGATIVE);
                case 'S' -> b.appendValue(ChronoField.SECOND_OF_MINUTE, 1, 2, java.time.format.SignStyle.NOT_NEGATIVE);
                case 'f' -> b.appendFraction(ChronoField.NANO_OF_SECOND, 1, 6, false);
                case 'b' -> b.appendText(ChronoField.MONTH_OF_YEAR, TextStyle.SHORT);
                case 'B' -> b.appendText(ChronoField.MONTH_OF_YEAR, TextStyle.FULL);
                case 'a' -> b.appendText(ChronoField.DAY_OF_WEEK, TextStyle.SHORT);
                case 'A' -> b.appendText(ChronoField.DAY_OF_WEEK, TextStyle.FULL);
                case 'j' -> b.appendValue(ChronoField.DAY_OF_YEAR, 1, 3, java.time.format.SignStyle.NOT_NEGATIVE);
                case '%' -> b.appendLiteral('%');
                default -> throw new FilterFailure("to_datetime: format directive %" + d + " is not supported");
            }
        }
        return b.toFormatter(Locale.ROOT);
    }
}
