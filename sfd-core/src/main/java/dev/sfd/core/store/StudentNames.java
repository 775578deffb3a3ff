package dev.sfd.core.store;

import java.util.regex.Pattern;

/**
 * The rule for student names, which become object-key prefixes ({@code students/<name>/...}): 1 to 64
 * characters of letters, digits, {@code .}, {@code _} and {@code -}, starting with a letter or digit,
 * and no {@code ..}. So a name can never reach another prefix of the bucket ({@code ../}, {@code /},
 * {@code \}), nor nest inside another student's prefix, nor carry control characters into keys or logs.
 */
public final class StudentNames {

    public static final int MAX_LENGTH = 64;
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private StudentNames() {
    }

    /** {@code name} if it follows the rule, else an error naming the value, the rule and the fix. */
    public static String require(String name) {
        if (name == null || !RULE.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("student name " + quote(name) + " is not allowed: it must be 1.."
                    + MAX_LENGTH + " characters of letters, digits, '.', '_' or '-', start with a letter or digit "
                    + "and contain no '..' (it becomes the object-key prefix students/<name>/); choose a name "
                    + "such as 'mixture2d-student' (sfd.trainer.student-name / sfd.sampler.student)");
        }
        return name;
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("'");
        s.codePoints().limit(80).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append(s.length() > 80 ? "...'" : "'").toString();
    }
}
