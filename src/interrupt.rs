//! Ctrl-C or `kill` during a build: the staging folder the build was filling is removed
//! before the process ends, so an interrupted build leaves the output folder's parent as it
//! found it. (A build killed with SIGKILL cannot clean up; the next build removes what it
//! left, see `output::Staged::begin`.)

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The staging folder of the build in progress, if any.
static STAGING: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Names the folder to remove if the process is interrupted (None once the build has put
/// its output in place or thrown it away).
pub fn remove_on_signal(staging: Option<&Path>) {
    *STAGING.lock().unwrap_or_else(|e| e.into_inner()) = staging.map(Path::to_path_buf);
}

/// Removes the staging folder of the build in progress, then ends the process with the
/// signal's status. The folder is renamed first, so that threads still writing into it fail
/// instead of filling it again, then deleted; the renamed folder ends in `.old`, like the
/// folders the next build removes if this fails (`remove_dir_all` never follows a symbolic
/// link). The lock is held to the end: the build, seeing its writes fail, would otherwise
/// report them and exit first, leaving half the folder behind.
fn clean_up_and_exit(status: i32) -> ! {
    let mut staging = STAGING.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(staging) = staging.take() {
        let mut trash = staging.clone().into_os_string();
        trash.push(".old");
        let trash = PathBuf::from(trash);
        let doomed = if std::fs::rename(&staging, &trash).is_ok() {
            trash
        } else {
            staging
        };
        // A thread may still be finishing a file it opened before the rename.
        for _ in 0..10 {
            if std::fs::remove_dir_all(&doomed).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
    std::process::exit(status)
}

/// From now on SIGINT, SIGTERM and SIGHUP end the process only after [`clean_up_and_exit`]. Call it
/// before any other thread starts: the signals are blocked in this thread and so in every
/// thread started after it, and one thread waits for them.
#[cfg(target_os = "linux")]
pub fn install() {
    // SAFETY: the signal set is initialised by sigemptyset before use, and blocking signals
    // in the calling thread has no other effect on memory.
    let set = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::sigaddset(&mut set, sig);
        }
        if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        set
    };
    let spawned = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let mut sig: libc::c_int = 0;
            // SAFETY: `set` is a valid, initialised signal set and `sig` a valid out pointer.
            if unsafe { libc::sigwait(&set, &mut sig) } == 0 {
                clean_up_and_exit(128 + sig);
            }
        });
    if spawned.is_err() {
        // Without the waiting thread the signals must not stay blocked.
        // SAFETY: as above.
        unsafe {
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        }
    }
}

#[cfg(not(target_os = "linux"))]
pub fn install() {}

/// Whether a process with this id runs (or may: when that cannot be told, the answer is yes,
/// so that its files are left alone).
#[cfg(target_os = "linux")]
pub fn process_is_running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return true;
    }
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let alive = unsafe { libc::kill(pid, 0) } == 0;
    alive || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(target_os = "linux"))]
pub fn process_is_running(_pid: u32) -> bool {
    true
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn tells_running_processes_from_gone_ones() {
        assert!(process_is_running(std::process::id()));
        assert!(!process_is_running(2_147_483_000));
        assert!(process_is_running(0));
    }
}
