package semdiff

import (
	"fmt"
	"strings"

	"github.com/mops-dev/mops/engine/model"
)

// describe sums a document up in a few words, for documents added or
// removed as a whole.
func describe(d *model.Document) string {
	spec := d.Spec()
	switch d.Kind {
	case model.KindTaxonomy:
		return fmt.Sprintf("picklist %s with %s", show(spec["label"]), count(len(list(spec["values"])), "value"))
	case model.KindLifecycleModel:
		var ids []string
		for _, s := range list(spec["stages"]) {
			ids = append(ids, str(get(s, "id")))
		}
		return fmt.Sprintf("%s stages %s", str(spec["object"]), strings.Join(ids, " → "))
	case model.KindNamingConvention:
		return "template " + show(spec["template"])
	case model.KindRACI:
		return fmt.Sprintf("%s and %s", count(len(list(spec["roles"])), "role"), count(len(list(spec["activities"])), "activity"))
	case model.KindSLA:
		return fmt.Sprintf("type %s, target %s", str(spec["type"]), str(spec["target"]))
	case model.KindConsentPolicy:
		var allowed []string
		channels := mapping(spec["channels"])
		for _, ch := range sortedKeys(channels) {
			if truthy(get(channels[ch], "allowed")) {
				allowed = append(allowed, ch)
			}
		}
		if len(allowed) == 0 {
			allowed = []string{"no channel"}
		}
		return fmt.Sprintf("regions %s allowing %s", strings.Join(strs(spec["regions"]), ", "), strings.Join(allowed, ", "))
	case model.KindProject:
		var systems []string
		for _, s := range list(spec["systems"]) {
			systems = append(systems, str(get(s, "name")))
		}
		return "systems " + strings.Join(systems, ", ")
	case model.KindCampaign:
		return fmt.Sprintf("%s, %s in %s, launching %s", show(spec["name"]), str(spec["channel"]), strings.Join(strs(spec["regions"]), ", "), str(spec["launchDate"]))
	}
	return d.Key().String()
}

// count writes n with a singular or plural noun.
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(noun, "y"))
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
