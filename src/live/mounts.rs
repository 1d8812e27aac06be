//! Whether the library sits on a network file system, where file-system events only report
//! what this machine itself wrote: a generator on another machine would go unseen.

use std::path::Path;

/// File-system types whose changes made elsewhere raise no local event.
const NETWORK_TYPES: &[&str] = &[
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "9p",
    "afs",
    "ceph",
    "glusterfs",
    "davfs",
    "virtiofs",
];

/// The network file system type under `path` (Linux), None when local or unknown.
pub fn network_file_system(path: &Path) -> Option<String> {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let path = path.canonicalize().ok()?;
    let kind = file_system_of(&mountinfo, path.to_str()?)?;
    is_network(&kind).then_some(kind)
}

fn is_network(kind: &str) -> bool {
    NETWORK_TYPES.contains(&kind)
        || kind.starts_with("fuse.sshfs")
        || kind.starts_with("fuse.rclone")
}

/// The type of the mount holding `path`: the longest mount point that contains it.
fn file_system_of(mountinfo: &str, path: &str) -> Option<String> {
    mountinfo
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(' ').collect();
            let mount_point = fields.get(4)?.replace("\\040", " ");
            let separator = fields.iter().position(|f| *f == "-")?;
            let kind = fields.get(separator + 1)?;
            let inside = path == mount_point
                || mount_point == "/"
                || path.starts_with(&format!("{mount_point}/"));
            inside.then(|| (mount_point.len(), (*kind).to_owned()))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, kind)| kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTINFO: &str = "\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:35 / /mnt/nas rw,relatime shared:20 - nfs4 nas:/export rw,vers=4.2
41 22 0:36 / /mnt/nas\\040photos rw - cifs //nas/photos rw
42 22 0:37 / /mnt/nasty rw - ext4 /dev/sdb1 rw";

    #[test]
    fn the_longest_mount_point_holding_the_path_tells_its_type() {
        assert_eq!(
            file_system_of(MOUNTINFO, "/mnt/nas/apioutput").as_deref(),
            Some("nfs4")
        );
        assert_eq!(
            file_system_of(MOUNTINFO, "/mnt/nasty/apioutput").as_deref(),
            Some("ext4")
        );
        assert_eq!(
            file_system_of(MOUNTINFO, "/mnt/nas photos/x").as_deref(),
            Some("cifs")
        );
        assert_eq!(
            file_system_of(MOUNTINFO, "/home/me/apioutput").as_deref(),
            Some("ext4")
        );
    }

    #[test]
    fn nfs_smb_and_sshfs_are_network_file_systems_and_ext4_is_not() {
        assert!(is_network("nfs4") && is_network("cifs") && is_network("fuse.sshfs"));
        assert!(!is_network("ext4") && !is_network("tmpfs") && !is_network("overlay"));
    }
}
