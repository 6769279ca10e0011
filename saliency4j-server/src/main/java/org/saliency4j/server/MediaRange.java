package org.saliency4j.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One media range of an Accept header (RFC 9110, 12.5.1): {@code type/subtype}, {@code type/*} or {@code *}{@code /*},
 * with its quality and its position in the header. Elements that cannot be read are left out, as if not sent.
 */
record MediaRange(String type, String subtype, double quality, int position) {

    static List<MediaRange> parseAll(String header) {
        List<MediaRange> ranges = new ArrayList<>();
        String[] elements = header.split(",");
        for (int i = 0; i < elements.length; i++) {
            MediaRange range = parse(elements[i], i);
            if (range != null) {
                ranges.add(range);
            }
        }
        return ranges;
    }

    /** The range that decides {@code contentType}'s quality: the most specific one matching it, else null. */
    static MediaRange mostSpecific(List<MediaRange> ranges, String contentType) {
        int slash = contentType.indexOf('/');
        String type = contentType.substring(0, slash);
        String subtype = contentType.substring(slash + 1);
        MediaRange best = null;
        for (MediaRange range : ranges) {
            if (range.matches(type, subtype) && (best == null || range.specificity() > best.specificity())) {
                best = range;
            }
        }
        return best;
    }

    private boolean matches(String otherType, String otherSubtype) {
        return type.equals("*") || type.equals(otherType) && (subtype.equals("*") || subtype.equals(otherSubtype));
    }

    private int specificity() {
        return type.equals("*") ? 0 : subtype.equals("*") ? 1 : 2;
    }

    private static MediaRange parse(String element, int position) {
        String[] parts = element.split(";", -1);
        String[] name = parts[0].trim().toLowerCase(Locale.ROOT).split("/", -1);
        if (name.length != 2 || name[0].isEmpty() || name[1].isEmpty() || name[0].equals("*") && !name[1].equals("*")) {
            return null;
        }
        double quality = 1;
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].trim().split("=", 2);
            if (parameter.length == 2 && parameter[0].trim().equalsIgnoreCase("q")) {
                String value = parameter[1].trim();
                // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
                if (!value.matches("0(\\.\\d{0,3})?|1(\\.0{0,3})?")) {
                    return null;
                }
                quality = Double.parseDouble(value);
            }
        }
        return new MediaRange(name[0], name[1], quality, position);
    }
}
