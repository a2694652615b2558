package dev.plumb.compiler.jinja;

import java.util.List;
import java.util.Map;

/** Something a template can call: a macro, a global function or a value's method. */
interface Macro {
    Object call(List<Object> arguments, Map<String, Object> keywords);
}
