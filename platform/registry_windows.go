package platform

import (
	"errors"
	"fmt"
	"io/fs"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// realRegistry is the Windows registry.
type realRegistry struct{}

func (realRegistry) where(k winKey) (registry.Key, string) {
	switch k {
	case userEnv:
		return registry.CURRENT_USER, `Environment`
	case systemEnv:
		return registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Control\Session Manager\Environment`
	case userGover:
		return registry.CURRENT_USER, `Software\gover`
	case systemGover:
		return registry.LOCAL_MACHINE, `SOFTWARE\gover`
	case goMSI:
		return registry.CURRENT_USER, `Software\GoProgrammingLanguage`
	}
	panic(fmt.Sprintf("unknown registry key %d", k))
}

func (r realRegistry) get(k winKey, name string) (string, uint32, error) {
	root, path := r.where(k)
	key, err := registry.OpenKey(root, path, registry.QUERY_VALUE)
	if err != nil {
		return "", 0, notExist(err)
	}
	defer key.Close()
	// GetStringValue returns the value as stored: %VAR% stays unexpanded.
	v, kind, err := key.GetStringValue(name)
	return v, kind, notExist(err)
}

func (r realRegistry) set(k winKey, name, value string, kind uint32) error {
	root, path := r.where(k)
	key, _, err := registry.CreateKey(root, path, registry.SET_VALUE)
	if err != nil {
		return err
	}
	defer key.Close()
	if kind == regExpandSZ {
		return key.SetExpandStringValue(name, value)
	}
	return key.SetStringValue(name, value)
}

func (r realRegistry) del(k winKey, name string) error {
	root, path := r.where(k)
	key, err := registry.OpenKey(root, path, registry.SET_VALUE)
	if err != nil {
		return ignoreNotExist(err)
	}
	defer key.Close()
	return ignoreNotExist(key.DeleteValue(name))
}

func notExist(err error) error {
	if errors.Is(err, registry.ErrNotExist) {
		return fs.ErrNotExist
	}
	return err
}

func ignoreNotExist(err error) error {
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	return err
}

// broadcastEnvironment sends WM_SETTINGCHANGE "Environment" to every
// top-level window, as the System Properties dialog does, so that Explorer
// gives the next terminals the new PATH. Abort-if-hung and a 5 s timeout
// keep a frozen window from blocking setup.
func broadcastEnvironment() error {
	const (
		hwndBroadcast   = 0xffff
		wmSettingChange = 0x001A
		smtoAbortIfHung = 0x0002
	)
	env, err := windows.UTF16PtrFromString("Environment")
	if err != nil {
		return err
	}
	var result uintptr
	proc := windows.NewLazySystemDLL("user32.dll").NewProc("SendMessageTimeoutW")
	if err := proc.Find(); err != nil {
		return err
	}
	r, _, callErr := proc.Call(hwndBroadcast, wmSettingChange, 0, uintptr(unsafe.Pointer(env)), smtoAbortIfHung, 5000, uintptr(unsafe.Pointer(&result)))
	if r == 0 {
		return fmt.Errorf("SendMessageTimeout: %w", callErr)
	}
	return nil
}
