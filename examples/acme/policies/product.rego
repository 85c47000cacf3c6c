# METADATA
# title: Acme product launches
# description: >-
#   Acme-specific rules, run in addition to the built-in ones (mops.yaml
#   spec.policies). Attribution reports group pipeline by product, so every
#   campaign that launches or promotes a product must say which one, using
#   the product ids Finance uses.
package mops.acme

import data.mops.lib

# products: Acme's products, as Finance and the product-analytics dashboards name them.
products := {"acme-insights", "acme-cloud", "acme-connect"}

# METADATA
# description: A product_launch campaign names the product it launches in metadata.labels.product.
# custom:
#   id: acme.product-label
deny contains {
	"rule": "acme.product-label",
	"message": sprintf("a product_launch campaign needs metadata.labels.product: the product it launches (%s)", [concat(", ", sort(products))]),
	"path": "metadata",
} if {
	input.kind == "Campaign"
	input.spec.type == "product_launch"
	not input.metadata.labels.product
}

# METADATA
# description: A campaign's metadata.labels.product is an Acme product id.
# custom:
#   id: acme.product-known
deny contains {
	"rule": "acme.product-known",
	"message": sprintf("product '%s' is not an Acme product%s (products: %s)", [product, lib.suggest(product, products), concat(", ", sort(products))]),
	"path": "metadata.labels.product",
} if {
	input.kind == "Campaign"
	product := input.metadata.labels.product
	not product in products
}
