package dev.plumb.api;

/** What a change does to a resource, with the symbol the plan shows for it. */
public enum Action {
    NONE(" "),
    CREATE("+"),
    CHANGE("~"),
    REMOVE("-");

    private final String symbol;

    Action(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
