package dev.plumb.catalog;

import java.util.List;

/**
 * A catalog value of the wrong shape, found while reading a catalog: which field of the value being read, and what
 * was expected. Whoever reads the catalog knows where the value is and adds its JSON path.
 */
public final class CatalogFormatException extends RuntimeException {

    private final String field;

    CatalogFormatException(String field, String expected) {
        super(expected);
        this.field = field;
    }

    /** The field, as named in the catalog's JSON. */
    public String field() {
        return field;
    }

    /** {@code value} when it is there, else a CatalogFormatException saying {@code field} expected something else. */
    static <T> T required(T value, String field, String expected) {
        if (value == null) {
            throw new CatalogFormatException(field, "expected " + expected + ", got null");
        }
        return value;
    }

    /** A copy of {@code list}, which must be there and may not hold null. */
    static <T> List<T> listOf(List<T> list, String field, String expected) {
        required(list, field, expected);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw new CatalogFormatException(field + "[" + i + "]", "expected " + expected + ", got null");
            }
        }
        return List.copyOf(list);
    }
}
