<?xml version="1.0" encoding="utf-8"?>
<!--
  Shows a Wijkkaart Atom feed as a readable page when a browser opens it, instead of raw XML.
  News readers ignore this. The feed refers to it with
  <?xml-stylesheet type="text/xsl" href="/feed.xsl"?> right after the XML declaration.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
	<xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat" />
	<xsl:template match="/atom:feed">
		<html lang="nl">
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<title><xsl:value-of select="atom:title" /></title>
				<style>
					body { font-family: system-ui, sans-serif; max-width: 44rem; margin: 0 auto; padding: 1rem; line-height: 1.5; color: #1a1a1a; }
					.about { background: #e8f0f8; border-left: 4px solid #00457c; padding: 0.6rem 0.9rem; }
					code { word-break: break-all; background: #fff; padding: 0 0.2rem; }
					article { border-bottom: 1px solid #dde3ea; padding: 0.6rem 0; }
					h2 { font-size: 1.1rem; margin: 0 0 0.2rem; }
					time { color: #4a5560; font-size: 0.9rem; }
					a { color: #00457c; }
				</style>
			</head>
			<body>
				<main>
					<h1><xsl:value-of select="atom:title" /></h1>
					<p class="about" lang="nl">
						Dit is een <strong>feed</strong>: een adres voor een nieuwslezer. Kopieer het adres
						<code><xsl:value-of select="atom:link[@rel='self']/@href" /></code> in uw nieuwslezer, of
						<a href="/volgen">volg per e-mail</a>.
					</p>
					<p class="about" lang="en">
						This is a <strong>feed</strong> for a news reader. Copy its address into your reader, or
						<a href="/volgen">follow by e-mail</a>.
					</p>
					<xsl:if test="not(atom:entry)"><p>Nog geen berichten. / No updates yet.</p></xsl:if>
					<xsl:for-each select="atom:entry">
						<article>
							<h2>
								<xsl:choose>
									<xsl:when test="atom:link/@href">
										<a href="{atom:link/@href}"><xsl:value-of select="atom:title" /></a>
									</xsl:when>
									<xsl:otherwise><xsl:value-of select="atom:title" /></xsl:otherwise>
								</xsl:choose>
							</h2>
							<time datetime="{atom:updated}"><xsl:value-of select="substring(atom:updated, 1, 10)" /></time>
							<p><xsl:value-of select="atom:summary | atom:content" /></p>
						</article>
					</xsl:for-each>
				</main>
			</body>
		</html>
	</xsl:template>
</xsl:stylesheet>
