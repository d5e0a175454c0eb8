package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/connls/connls/analysis"
	"github.com/connls/connls/analysis/dsl"
)

// writeJUnit prints JUnit XML, which Jenkins and GitLab show as test
// results: a test suite per checked file, a failing test case per
// finding (as the JUnit reports of eslint and golangci-lint do, whatever
// the severity; the type says it), and one passing test case in a file
// without findings, so that the checked files count as tests.
func writeJUnit(w io.Writer, r report) error {
	byFile := map[string][]dsl.Problem{}
	var order []string
	for _, p := range r.problems {
		if _, ok := byFile[p.Abs]; !ok {
			order = append(order, p.Abs)
		}
		byFile[p.Abs] = append(byFile[p.Abs], p)
	}
	// Every checked file, then any file with findings that was not
	// listed as checked (a manifest's missing script is reported on the
	// manifest, but keep the rule general).
	listed := map[string]bool{}
	files := append([]string(nil), r.files...)
	for _, f := range files {
		listed[f] = true
	}
	for _, f := range order {
		if !listed[f] {
			files = append(files, f)
		}
	}
	suites := junit.Testsuites{Name: "connls"}
	for i, abs := range files {
		path := displayPath(abs)
		suite := junit.Testsuite{Name: path, ID: i, Time: "0", File: path}
		for _, p := range byFile[abs] {
			suite.AddTestcase(junit.Testcase{
				Name:      fmt.Sprintf("%s at %d:%d", p.Code, p.Range.Start.Line+1, p.Range.Start.Col+1),
				Classname: path,
				Time:      "0",
				Failure: &junit.Result{
					Message: p.Message,
					Type:    p.Severity.String(),
					Data:    findingDetail(p),
				},
			})
		}
		if len(byFile[abs]) == 0 {
			suite.AddTestcase(junit.Testcase{Name: "connls check", Classname: path, Time: "0"})
		}
		suites.AddSuite(suite)
	}
	if _, err := io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"); err != nil {
		return err
	}
	return suites.WriteXML(w)
}

// findingDetail is the text of a finding as the text format prints it,
// with its related places and fixes on the lines after.
func findingDetail(p dsl.Problem) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s %s: %s\n", displayPath(p.Abs), p.Range.Start.Line+1, p.Range.Start.Col+1, p.Severity, p.Code, p.Message)
	for _, rel := range p.Related {
		fmt.Fprintf(&b, "  %s:%d:%d: %s\n", displayPath(rel.Abs), rel.Range.Start.Line+1, rel.Range.Start.Col+1, rel.Message)
	}
	for _, f := range p.Fixes {
		fmt.Fprintf(&b, "  fix: %s\n", f.Title)
	}
	if rule := analysis.RuleFor(p.Code); rule != nil && rule.Help != "" {
		fmt.Fprintf(&b, "%s\n", rule.Help)
	}
	return b.String()
}

// codeQualityIssue is one finding of a GitLab Code Quality report (the
// Code Climate issue format GitLab reads): GitLab requires description,
// check_name, fingerprint, severity and location.path with
// location.lines.begin or location.positions.begin.line.
type codeQualityIssue struct {
	Type        string              `json:"type"`
	CheckName   string              `json:"check_name"`
	Description string              `json:"description"`
	Content     *codeQualityContent `json:"content,omitempty"`
	Categories  []string            `json:"categories"`
	Location    codeQualityLocation `json:"location"`
	Severity    string              `json:"severity"`
	Fingerprint string              `json:"fingerprint"`
}

type codeQualityContent struct {
	Body string `json:"body"`
}

type codeQualityLocation struct {
	Path      string               `json:"path"`
	Positions codeQualityPositions `json:"positions"`
}

type codeQualityPositions struct {
	Begin codeQualityPosition `json:"begin"`
	End   codeQualityPosition `json:"end"`
}

type codeQualityPosition struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// codeQualitySeverity maps severities onto the five of Code Climate:
// info, minor, major, critical, blocker. An error fails the connector
// at run time, hence critical.
func codeQualitySeverity(s dsl.Severity) string {
	switch s {
	case dsl.SevError:
		return "critical"
	case dsl.SevWarning:
		return "major"
	case dsl.SevInformation:
		return "minor"
	}
	return "info"
}

// writeCodeQuality prints a GitLab Code Quality report (--format
// codeclimate). Fingerprints are those of SARIF: they follow a finding
// when lines above it move, so GitLab can tell new findings from old.
func writeCodeQuality(w io.Writer, r report) error {
	issues := []codeQualityIssue{}
	seen := map[string]int{}
	for _, p := range r.problems {
		key := fingerprint(p)
		seen[key]++
		issue := codeQualityIssue{
			Type:        "issue",
			CheckName:   p.Code,
			Description: p.Message,
			Categories:  []string{"Bug Risk"},
			Location: codeQualityLocation{
				Path: displayPath(p.Abs),
				Positions: codeQualityPositions{
					Begin: codeQualityPosition{Line: p.Range.Start.Line + 1, Column: p.Range.Start.Col + 1},
					End:   codeQualityPosition{Line: p.Range.End.Line + 1, Column: p.Range.End.Col + 1},
				},
			},
			Severity:    codeQualitySeverity(p.Severity),
			Fingerprint: fmt.Sprintf("%s%04x", key, seen[key]),
		}
		if rule := analysis.RuleFor(p.Code); rule != nil && rule.Help != "" {
			issue.Content = &codeQualityContent{Body: rule.Help}
		}
		issues = append(issues, issue)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(issues)
}
