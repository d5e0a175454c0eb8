package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
)

var formats = map[string]func(io.Writer, report) error{
	"text":        writeText,
	"json":        writeJSON,
	"sarif":       writeSARIF,
	"github":      writeGitHub,
	"junit":       writeJUnit,
	"codeclimate": writeCodeQuality,
}

// formatList is the formats in the order help texts name them.
var formatList = []string{"text", "json", "sarif", "github", "junit", "codeclimate"}

func formatNames() string {
	return strings.Join(formatList[:len(formatList)-1], ", ") + " or " + formatList[len(formatList)-1]
}

func writeText(w io.Writer, r report) error {
	for _, p := range r.problems {
		sev := p.Severity.String()
		if r.color {
			sev = colorize(p.Severity, sev)
		}
		fmt.Fprintf(w, "%s:%d:%d: %s %s: %s\n", displayPath(p.Abs), p.Range.Start.Line+1, p.Range.Start.Col+1, sev, p.Code, p.Message)
	}
	return nil
}

func colorize(s dsl.Severity, text string) string {
	code := map[dsl.Severity]string{dsl.SevError: "31", dsl.SevWarning: "33", dsl.SevInformation: "36"}[s]
	if code == "" {
		return text
	}
	return "\033[" + code + "m" + text + "\033[0m"
}

// jsonDiagnostic is one finding of --format json; lines and columns are
// one-based, columns in UTF-16 units.
type jsonDiagnostic struct {
	File      string        `json:"file"`
	Line      int           `json:"line"`
	Column    int           `json:"column"`
	EndLine   int           `json:"endLine"`
	EndColumn int           `json:"endColumn"`
	Severity  string        `json:"severity"`
	Code      string        `json:"code"`
	Message   string        `json:"message"`
	Related   []jsonRelated `json:"related,omitempty"`
	Fixes     []string      `json:"fixes,omitempty"`
}

type jsonRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

func writeJSON(w io.Writer, r report) error {
	out := struct {
		Diagnostics []jsonDiagnostic `json:"diagnostics"`
	}{Diagnostics: []jsonDiagnostic{}}
	for _, p := range r.problems {
		d := jsonDiagnostic{
			File: displayPath(p.Abs), Line: p.Range.Start.Line + 1, Column: p.Range.Start.Col + 1,
			EndLine: p.Range.End.Line + 1, EndColumn: p.Range.End.Col + 1,
			Severity: p.Severity.String(), Code: p.Code, Message: p.Message,
		}
		for _, rel := range p.Related {
			d.Related = append(d.Related, jsonRelated{File: displayPath(rel.Abs), Line: rel.Range.Start.Line + 1, Column: rel.Range.Start.Col + 1, Message: rel.Message})
		}
		for _, f := range p.Fixes {
			d.Fixes = append(d.Fixes, f.Title)
		}
		out.Diagnostics = append(out.Diagnostics, d)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writeGitHub prints workflow commands, which GitHub Actions turns into
// annotations on the pull request.
func writeGitHub(w io.Writer, r report) error {
	for _, p := range r.problems {
		cmd := "error"
		switch p.Severity {
		case dsl.SevWarning:
			cmd = "warning"
		case dsl.SevInformation, dsl.SevHint:
			cmd = "notice"
		}
		fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n", cmd,
			escapeProperty(displayPath(p.Abs)), p.Range.Start.Line+1, p.Range.Start.Col+1, p.Range.End.Line+1, p.Range.End.Col+1,
			escapeProperty(p.Code), escapeData(p.Message))
	}
	return nil
}

// escapeData and escapeProperty escape as the Actions toolkit does
// (@actions/core command.ts).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func sarifLevel(s dsl.Severity) string {
	switch s {
	case dsl.SevError:
		return "error"
	case dsl.SevWarning:
		return "warning"
	}
	return "note"
}

func writeSARIF(w io.Writer, r report) error {
	rep := buildSARIF(r.problems)
	return rep.PrettyWrite(w)
}

// buildSARIF builds a SARIF 2.1.0 log with every rule described, full
// regions (UTF-16 columns, as SARIF counts by default) and fingerprints
// that survive lines moving, as GitHub code scanning wants.
func buildSARIF(problems []dsl.Problem) *sarif.Report {
	rep := sarif.NewReport()
	run := sarif.NewRunWithInformationURI("connls", "https://github.com/connls/connls")
	v := connlsVersion()
	run.Tool.Driver.Version = &v
	for _, rule := range analysis.Rules {
		d := run.AddRule(rule.Code)
		d.ShortDescription = sarif.NewMultiformatMessageString().WithText(rule.Summary)
		d.FullDescription = sarif.NewMultiformatMessageString().WithText(rule.Summary + " " + rule.Help)
		d.Help = sarif.NewMultiformatMessageString().WithText(rule.Help).WithMarkdown(rule.Help + "\n\nExample:\n\n```\n" + rule.Example + "\n```")
		d.Name = ruleName(rule.Code)
		d.DefaultConfiguration = sarif.NewReportingConfiguration().WithLevel(sarifLevel(rule.Severity))
		d.Properties = sarif.NewPropertyBag()
		d.Properties.Add("tags", []string{"connector", "connls"})
	}
	seen := map[string]int{}
	for _, p := range problems {
		res := run.CreateResultForRule(p.Code)
		res.WithLevel(sarifLevel(p.Severity)).WithMessage(sarif.NewTextMessage(p.Message))
		res.WithLocations([]*sarif.Location{sarifLocation(p.Abs, p.Range.Start.Line, p.Range.Start.Col, p.Range.End.Line, p.Range.End.Col)})
		for _, rel := range p.Related {
			loc := sarifLocation(rel.Abs, rel.Range.Start.Line, rel.Range.Start.Col, rel.Range.End.Line, rel.Range.End.Col)
			loc.Message = sarif.NewTextMessage(rel.Message)
			res.AddRelatedLocation(loc)
		}
		key := fingerprint(p)
		seen[key]++
		res.PartialFingerprints = map[string]string{"connls/v1": fmt.Sprintf("%s:%d", key, seen[key])}
	}
	rep.AddRun(run)
	return rep
}

func ruleName(code string) *string {
	parts := strings.Split(code, "-")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	n := strings.Join(parts, "")
	return &n
}

func sarifLocation(abs string, sl, sc, el, ec int) *sarif.Location {
	region := sarif.NewRegion().WithStartLine(sl + 1).WithStartColumn(sc + 1).WithEndLine(el + 1).WithEndColumn(ec + 1)
	if el < sl || (el == sl && ec <= sc) {
		region = sarif.NewRegion().WithStartLine(sl + 1).WithStartColumn(sc + 1)
	}
	phys := sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewSimpleArtifactLocation(displayPath(abs))).WithRegion(region)
	return sarif.NewLocationWithPhysicalLocation(phys)
}

// fingerprint identifies a finding by its rule, file, message and the
// text of its line, not by its line number, so that code scanning keeps
// tracking it when lines above it change.
func fingerprint(p dsl.Problem) string {
	line := ""
	if text, err := os.ReadFile(p.Abs); err == nil {
		lines := strings.Split(string(text), "\n")
		if p.Range.Start.Line < len(lines) {
			line = strings.TrimSpace(lines[p.Range.Start.Line])
		}
	}
	h := sha256.Sum256([]byte(p.Code + "\x00" + displayPath(p.Abs) + "\x00" + p.Message + "\x00" + line))
	return hex.EncodeToString(h[:8])
}
