package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Attribute;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.Removable;
import dev.plumb.api.Resource;
import dev.plumb.api.ResourceException;
import dev.plumb.providers.Providers;
import dev.plumb.providers.ShadowProvider;
import dev.plumb.providers.ShadowProvider.Group;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code group: NAME} — a local group. Its members are not managed here: each user resource lists its own
 * groups.
 */
public record GroupResource(
        @Attribute(doc = "the group name") String name,
        @Attribute(doc = "present (default) or absent",
                defaultValue = "present", values = {"present", "absent"})
        String ensure,
        @Attribute(doc = "the group id; left out, groupadd picks one and later runs leave it as it is") Integer gid,
        @Attribute(doc = "create a system group (an id below GID_MIN); only when it is created") boolean system) implements Resource, Removable {

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        Rules.accountName(problems, "name", name);
        Rules.oneOf(problems, "ensure", ensure, "present", "absent");
        Rules.notNegative(problems, "gid", gid);
        return problems;
    }

    @Override
    public boolean removes() {
        return "absent".equals(ensure);
    }

    @Override
    public Change converge(Context context, boolean apply) throws IOException, ResourceException {
        ShadowProvider accounts = context.service(Providers.class).accounts();
        Group current = accounts.group(name);
        Change change = new Change();
        if ("absent".equals(ensure)) {
            if (current != null) {
                change.add(Action.REMOVE, "ensure", "present", "absent", "remove group");
                if (apply) {
                    accounts.removeGroup(name);
                }
            }
            return change;
        }
        if (current == null) {
            change.add(Action.CREATE, "ensure", null, "present", "create group" + (gid != null ? ", gid " + gid : "") + (system ? ", system group" : ""));
            if (apply) {
                accounts.addGroup(name, gid, system);
            }
            return change;
        }
        if (gid != null && gid != current.gid()) {
            change.changed("gid", current.gid(), gid);
            if (apply) {
                accounts.changeGid(name, gid);
            }
        }
        return change;
    }
}
