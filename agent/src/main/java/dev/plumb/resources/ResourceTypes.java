package dev.plumb.resources;

import dev.plumb.api.InvalidEntryException;
import dev.plumb.api.Resource;
import dev.plumb.api.Types;
import dev.plumb.catalog.CatalogResource;
import java.util.List;
import java.util.Set;

/**
 * The resource types that ship with plumb, one registration line each. A type is a record whose first component
 * receives the resource's name (the path of a file, the label of an exec) and whose other components are its
 * attributes, named in project files and catalogs exactly as the components are.
 */
public final class ResourceTypes {

    public static final Types<Resource> REGISTRY = new Types<>("resource", Resource.class, name -> name, List.of())
            .register("file", FileResource.class)
            .register("directory", DirectoryResource.class)
            .register("symlink", SymlinkResource.class)
            .register("line", LineResource.class)
            .register("exec", ExecResource.class)
            .register("package", PackageResource.class)
            .register("cron", CronResource.class)
            .register("user", UserResource.class)
            .register("group", GroupResource.class)
            .register("service", ServiceResource.class)
            .register("systemd_unit", SystemdUnitResource.class)
            .register("sysctl", SysctlResource.class)
            .register("timezone", TimezoneResource.class)
            .register("mount", MountResource.class)
            .register("download", DownloadResource.class)
            .register("apt_repository", AptRepositoryResource.class);

    private ResourceTypes() {
    }

    public static Set<String> names() {
        return REGISTRY.names();
    }

    /** Turns a catalog entry into its typed resource, not yet validated by the type's own rules. */
    public static Resource instantiate(CatalogResource spec) throws InvalidEntryException {
        return REGISTRY.instantiate(spec.type(), spec.name(), spec.attributes());
    }
}
