<#
.SYNOPSIS
Installs gover and gover-shim for the current user on Windows.

.DESCRIPTION
Downloads the gover release archive for this machine (amd64 or arm64),
checks its SHA-256 against the release's checksums.txt, installs gover.exe
and gover-shim.exe in %LOCALAPPDATA%\gover\bin, and runs 'gover setup',
which puts that folder and gover's shims on the user PATH (HKCU\Environment).
Nothing unverified is installed. Running it again replaces both programs,
or says they are up to date. Works in Windows PowerShell 5.1 and PowerShell 7.

    irm https://github.com/goverdev/gover/releases/latest/download/install.ps1 | iex

or, to pass options, from a saved copy:

    .\install.ps1 -Version v0.3.0 -NoSetup

.PARAMETER InstallDir
Where to install. Default: $env:GOVER_INSTALL_DIR, else %LOCALAPPDATA%\gover\bin.

.PARAMETER Version
A release tag such as v0.3.0. Default: the latest release.

.PARAMETER ReleaseUrl
The folder of release files (a mirror of a GitHub release).
Default: $env:GOVER_RELEASE_URL, else the release on GitHub.

.PARAMETER NoSetup
Do not run 'gover setup' (CI, or to edit PATH yourself).
#>
param(
    [string]$InstallDir = $env:GOVER_INSTALL_DIR,
    [string]$Version = '',
    [string]$ReleaseUrl = $env:GOVER_RELEASE_URL,
    [switch]$NoSetup
)

$Repo = 'https://github.com/goverdev/gover'
$Checksums = 'checksums.txt'

# Fail stops the install; the error's target is the exit code to end with.
function Fail([string]$Message, [int]$Code = 1) {
    $exception = New-Object System.Exception $Message
    throw (New-Object System.Management.Automation.ErrorRecord $exception, 'gover-install', 'NotSpecified', $Code)
}

# Get-GoverArch is this machine's architecture in Go's spelling. The OS's,
# not the process's: a 32-bit or emulated x64 PowerShell must still get
# the native build.
function Get-GoverArch {
    $name = ''
    try {
        $name = [string][System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture
    } catch {
        $name = $env:PROCESSOR_ARCHITEW6432
        if (-not $name) { $name = $env:PROCESSOR_ARCHITECTURE }
    }
    switch ($name.ToUpperInvariant()) {
        'X64' { return 'amd64' }
        'AMD64' { return 'amd64' }
        'ARM64' { return 'arm64' }
    }
    Fail "no gover release for Windows on $name (releases are built for amd64 and arm64; elsewhere build it with: go install github.com/goverdev/gover/cmd/...@latest)"
}

# Get-ReleaseBase is the folder the release files are in.
function Get-ReleaseBase([string]$Version, [string]$ReleaseUrl) {
    if ($Version) { return "$Repo/releases/download/$Version" }
    if ($ReleaseUrl) { return $ReleaseUrl.TrimEnd('/') }
    return "$Repo/releases/latest/download"
}

function Save-Url([string]$Url, [string]$File) {
    try {
        Invoke-WebRequest -Uri $Url -OutFile $File -UseBasicParsing
    } catch {
        Fail "cannot download ${Url}: $($_.Exception.Message) (check the address and your network; set GOVER_RELEASE_URL to use a mirror)"
    }
}

# Find-Checksum returns the SHA-256 checksums.txt gives for Name, in lowercase.
function Find-Checksum([string]$Text, [string]$Name) {
    foreach ($line in $Text -split "`r?`n") {
        $fields = $line.Trim() -split '\s+'
        if ($fields.Count -ge 2 -and ($fields[1] -eq $Name -or $fields[1] -eq "*$Name")) {
            $sum = $fields[0].ToLowerInvariant()
            if ($sum -notmatch '^[0-9a-f]{64}$') { return '' }
            return $sum
        }
    }
    return $null
}

# Install-File puts one program in place. A running gover.exe cannot be
# overwritten on Windows, but it can be renamed, so the old one is moved
# aside first and deleted when it is no longer running.
function Install-File([string]$From, [string]$Dir, [string]$Name) {
    $to = Join-Path $Dir $Name
    if (Test-Path -LiteralPath $to) {
        $old = (Get-FileHash -LiteralPath $to -Algorithm SHA256).Hash
        $new = (Get-FileHash -LiteralPath $From -Algorithm SHA256).Hash
        if ($old -eq $new) { return $false }
        $aside = Join-Path $Dir (".$Name.old-" + [guid]::NewGuid().ToString('N'))
        Move-Item -LiteralPath $to -Destination $aside
    }
    Copy-Item -LiteralPath $From -Destination $to
    Get-ChildItem -LiteralPath $Dir -Filter ".$Name.old-*" -Force | ForEach-Object {
        Remove-Item -LiteralPath $_.FullName -Force -ErrorAction SilentlyContinue
    }
    return $true
}

function Install-Gover {
    # Set here, not at the top: "irm | iex" runs the script in the user's
    # own scope, whose settings it must leave as they were.
    Set-StrictMode -Version 2.0
    $ErrorActionPreference = 'Stop'
    # Invoke-WebRequest's progress bar makes downloads many times slower in 5.1.
    $ProgressPreference = 'SilentlyContinue'
    if ($PSVersionTable.PSVersion.Major -lt 5) {
        Fail "install.ps1 needs PowerShell 5.1 or later (this is $($PSVersionTable.PSVersion))"
    }
    if ([System.Environment]::OSVersion.Platform -ne 'Win32NT') {
        Fail "install.ps1 is for Windows; on Linux and macOS run: curl -fsSL $Repo/releases/latest/download/install.sh | sh"
    }
    $dir = $InstallDir
    if (-not $dir) {
        if (-not $env:LOCALAPPDATA) { Fail 'LOCALAPPDATA is not set (pass -InstallDir)' }
        $dir = Join-Path (Join-Path $env:LOCALAPPDATA 'gover') 'bin'
    }
    # Windows PowerShell 5.1 may still default to TLS 1.0, which GitHub refuses.
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12

    $arch = Get-GoverArch
    $asset = "gover_windows_$arch.zip"
    $base = Get-ReleaseBase $Version $ReleaseUrl
    try {
        New-Item -ItemType Directory -Force -Path $dir | Out-Null
        $probe = Join-Path $dir ('.write-test-' + [guid]::NewGuid().ToString('N'))
        [System.IO.File]::WriteAllText($probe, '')
        Remove-Item -LiteralPath $probe
    } catch {
        Fail "cannot write to $dir (pass -InstallDir, or set GOVER_INSTALL_DIR, to a folder you can write)"
    }

    $tmp = Join-Path ([System.IO.Path]::GetTempPath()) ('gover-install-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $tmp | Out-Null
    try {
        Write-Host "downloading $asset from $base"
        Save-Url "$base/$Checksums" (Join-Path $tmp $Checksums)
        $want = Find-Checksum ([System.IO.File]::ReadAllText((Join-Path $tmp $Checksums))) $asset
        if ($null -eq $want) { Fail "$Checksums at $base lists no $asset (is GOVER_RELEASE_URL a gover release?)" }
        if ($want -eq '') { Fail "$Checksums at $base has no valid SHA-256 for $asset" }
        $zip = Join-Path $tmp $asset
        Save-Url "$base/$asset" $zip
        $got = (Get-FileHash -LiteralPath $zip -Algorithm SHA256).Hash.ToLowerInvariant()
        if ($got -ne $want) {
            Fail "$asset SHA-256 is $got but $Checksums says $want (the download was altered or corrupted; nothing was installed)" 3
        }
        $unpacked = Join-Path $tmp 'x'
        Expand-Archive -LiteralPath $zip -DestinationPath $unpacked
        $changed = $false
        foreach ($exe in 'gover.exe', 'gover-shim.exe') {
            $from = Join-Path $unpacked $exe
            if (-not (Test-Path -LiteralPath $from)) { Fail "the archive holds no $exe (is GOVER_RELEASE_URL a gover release?)" }
            if (Install-File $from $dir $exe) { $changed = $true }
        }
    } finally {
        Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction SilentlyContinue
    }

    $gover = Join-Path $dir 'gover.exe'
    $about = & $gover --version
    if ($LASTEXITCODE -ne 0) { Fail "$gover does not run on this machine" }
    if ($changed) {
        Write-Host "installed $about and gover-shim in $dir"
    } else {
        Write-Host "$about in $dir is up to date"
    }
    if ($NoSetup) {
        Write-Host ''
        Write-Host "To use it, add $dir to your PATH, or run 'gover setup', which also puts gover's shims on it."
        return
    }
    & $gover setup
    if ($LASTEXITCODE -ne 0) {
        Fail "'gover setup' failed; gover itself is installed in $dir (run '$gover setup' once fixed)"
    }
    Write-Host 'Open a new terminal to use gover and go.'
}

try {
    Install-Gover
} catch {
    $code = 1
    if ($_.TargetObject -is [int]) { $code = $_.TargetObject }
    [Console]::Error.WriteLine('install.ps1: ' + $_.Exception.Message)
    # Run as a file, set the exit code; run by "irm | iex", exiting would
    # close the user's PowerShell window instead.
    if ($PSCommandPath) { exit $code }
}
