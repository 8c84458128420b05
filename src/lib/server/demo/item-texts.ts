/**
 * Words for generated items (demo municipality and Utrecht fixtures), written the way a
 * Dutch municipality writes them. `{straat}` and `{buurt}` are filled in per item.
 */
/** One kind of melding: its subcategory, how a resident titles it and describes it. */
export type MeldingVariant = readonly [subcategory: string, title: string, description: string];

export const MELDING_TEXTS: Record<string, readonly MeldingVariant[]> = {
	straatverlichting: [
		[
			'lantaarnpaal-kapot',
			'Lantaarnpaal kapot, {straat}',
			'De lantaarnpaal bij nummer {nr} is al een paar avonden donker. Het is daardoor erg donker op de stoep.'
		],
		[
			'lantaarnpaal-kapot',
			'Straatlantaarn brandt niet, {straat}',
			'Sinds het weekend brandt de straatverlichting niet meer op dit stuk van de {straat}.'
		],
		[
			'lamp-brandt-overdag',
			'Lamp brandt overdag, {straat}',
			'De lamp van de lantaarnpaal bij nummer {nr} brandt de hele dag.'
		],
		[
			'lantaarnpaal-scheef',
			'Lantaarnpaal scheef na aanrijding, {straat}',
			'De paal staat scheef sinds er een bestelbus tegenaan is gereden.'
		]
	],
	afval: [
		[
			'zwerfvuil',
			'Zwerfvuil rond de container, {straat}',
			'Naast de container liggen blikjes, zakken en papier. Meeuwen halen alles overhoop.'
		],
		[
			'container-vol',
			'Ondergrondse container vol, {straat}',
			'De container zit al dagen vol, bewoners zetten hun vuilniszakken ernaast.'
		],
		[
			'grofvuil',
			'Grofvuil op de stoep, {straat}',
			'Er staan een oude bank en een matras op de stoep bij nummer {nr}.'
		],
		[
			'afval-gedumpt',
			'Afval gedumpt bij het plantsoen, {straat}',
			'Iemand heeft bouwafval en verfblikken in het groen gegooid.'
		]
	],
	graffiti: [
		[
			'graffiti',
			'Graffiti op de gevel, {straat}',
			'Grote tags op de muur naast de ingang van het portiek.'
		],
		[
			'graffiti',
			'Bekladding op elektriciteitskastje, {straat}',
			'Het kastje op de hoek is volgeklad met stift.'
		],
		[
			'wildplakken',
			'Wildplakken op lantaarnpalen, {straat}',
			'Overal hangen posters van een feest, ook op de verkeersborden.'
		]
	],
	'bomen-groen': [
		[
			'boom-snoeien',
			'Boom moet gesnoeid worden, {straat}',
			'Takken hangen zo laag dat je er met de fiets tegenaan rijdt.'
		],
		[
			'boom-omgewaaid',
			'Tak afgebroken na storm, {straat}',
			'Na de storm van afgelopen nacht ligt er een grote tak op het fietspad.'
		],
		[
			'gras-maaien',
			'Gras niet gemaaid, {straat}',
			'Het gras in het plantsoen staat kniehoog, kinderen kunnen er niet meer spelen.'
		],
		[
			'onkruid',
			'Onkruid tussen de tegels, {straat}',
			'Het onkruid groeit op de stoep tot over de drempels van de voordeuren.'
		]
	],
	water: [
		[
			'vuil-in-water',
			'Drijfvuil bij de brug, {straat}',
			'Er drijven flessen en plastic zakken bij de brug.'
		],
		[
			'kade-beschadigd',
			'Kademuur beschadigd, {straat}',
			'Er zijn stenen uit de kademuur losgekomen.'
		]
	],
	wegen: [
		[
			'losse-tegel',
			'Losse stoeptegel, {straat}',
			'Een losse tegel voor nummer {nr}; mijn buurvrouw is er bijna over gestruikeld.'
		],
		[
			'gat-in-weg',
			'Gat in de weg, {straat}',
			'Er zit een diep gat in het wegdek, fietsers moeten uitwijken.'
		],
		[
			'verzakking',
			'Verzakking in het fietspad, {straat}',
			'Het fietspad is verzakt; bij regen staat er een grote plas.'
		],
		[
			'losse-tegel',
			'Tegels liggen scheef, {straat}',
			'Door boomwortels liggen de tegels scheef, lastig met een rollator.'
		]
	],
	'fout-parkeren': [
		[
			'auto-op-stoep',
			'Auto geparkeerd op de stoep, {straat}',
			'Er staat elke ochtend een bestelbus half op de stoep; met een kinderwagen kom je er niet langs.'
		],
		[
			'fietswrak',
			'Fietswrak bij het rek, {straat}',
			'Een fiets zonder wielen staat al maanden aan het rek.'
		],
		[
			'blokkeert-uitrit',
			'Uitrit geblokkeerd, {straat}',
			'Er staat een auto voor de uitrit van nummer {nr}, de bewoner kan er niet uit.'
		]
	],
	verkeersborden: [
		[
			'bord-beschadigd',
			'Verkeersbord omgereden, {straat}',
			'Het bord ligt op de grond sinds een aanrijding.'
		],
		[
			'verkeerslicht-defect',
			'Verkeerslicht defect, kruising {straat}',
			'Het voetgangerslicht springt niet meer op groen.'
		]
	],
	geluidsoverlast: [
		[
			'bouwlawaai',
			'Bouwlawaai voor 7 uur, {straat}',
			'Al om half zeven worden er heipalen geslagen.'
		],
		[
			'horeca',
			'Harde muziek uit café, {straat}',
			'Tot diep in de nacht harde muziek op het terras.'
		],
		[
			'evenement',
			'Geluidsoverlast evenement, {straat}',
			'Het festival in het park gaat na elf uur nog door met harde bassen.'
		]
	],
	woonoverlast: [
		[
			'overlast-buren',
			'Overlast vanuit woning, {straat}',
			'Bewoners ervaren al langere tijd overlast vanuit een woning in de straat.'
		],
		[
			'vervuiling-woning',
			'Vervuilde woning, {straat}',
			'Er komt stank uit een woning en er zit ongedierte in het portiek.'
		]
	],
	'overlast-personen': [
		[
			'hangjongeren',
			'Overlast van groep jongeren, {straat}',
			'Een groep hangt elke avond rond bij het winkelcentrum en laat rommel achter.'
		],
		[
			'drugsoverlast',
			'Drugsoverlast in portiek, {straat}',
			'In het portiek wordt gedeald; bewoners voelen zich niet veilig.'
		],
		[
			'verward-gedrag',
			'Overlast van verward persoon, {straat}',
			'Een man schreeuwt al dagen tegen voorbijgangers.'
		]
	],
	speelvoorzieningen: [
		[
			'speeltoestel-kapot',
			'Schommel kapot, speeltuin {straat}',
			'De ketting van de schommel is gebroken, de speelplek is niet veilig.'
		],
		['zandbak-vervuild', 'Zandbak vervuild, {straat}', 'Er ligt glas en hondenpoep in de zandbak.'],
		[
			'speeltoestel-kapot',
			'Glijbaan beschadigd, {straat}',
			'Er zit een scherpe scheur in de glijbaan.'
		]
	]
};

/** Terugkoppeling per status change of a melding, as the municipality writes it to residents. */
export const MELDING_REPLIES: Record<string, readonly string[]> = {
	gemeld: ['Uw melding is ontvangen.', 'Melding ontvangen en geregistreerd.'],
	in_behandeling: [
		'Uw melding is doorgestuurd naar de beheerder van de openbare ruimte.',
		'Een medewerker van de wijkploeg kijkt naar uw melding.',
		'De melding is in behandeling genomen door het team Stadsbeheer.'
	],
	ingepland: [
		'De aannemer heeft het werk ingepland voor volgende week.',
		'Het herstel is ingepland; wij verwachten dit binnen tien werkdagen uit te voeren.'
	],
	afgehandeld: [
		'Het probleem is verholpen. Bedankt voor uw melding.',
		'De wijkploeg heeft de situatie opgelost.',
		'Wij hebben de melding afgehandeld: het herstel is uitgevoerd.'
	],
	heropend: [
		'De melding is heropend omdat het probleem terugkwam.',
		'Op verzoek van de melder opnieuw in behandeling genomen.'
	],
	geannuleerd: [
		'Deze melding was al eerder gedaan en is samengevoegd met een andere melding.',
		'De melder heeft de melding ingetrokken.'
	]
};

export interface InitiativeText {
	title: string;
	theme: string;
	themes?: string[];
	description: string;
	initiator: string;
	support: string;
}

export const INITIATIVES: readonly InitiativeText[] = [
	{
		title: 'Buurtmoestuin {buurt}',
		theme: 'groen-water',
		themes: ['sociale-cohesie'],
		description:
			'Bewoners willen een braakliggend stuk grond omtoveren tot een moestuin waar iedereen mag meehelpen en oogsten.',
		initiator: 'Bewonersgroep Groene Vingers',
		support: '45 handtekeningen van omwonenden en steun van de basisschool.'
	},
	{
		title: 'Geveltuinen in de {straat}',
		theme: 'groen-water',
		themes: ['duurzaamheid'],
		description:
			'Samen tegels eruit, planten erin: geveltuintjes voor een koelere en groenere straat.',
		initiator: 'Straatcomité {straat}',
		support: '23 huishoudens doen mee.'
	},
	{
		title: 'Repair Café {buurt}',
		theme: 'duurzaamheid',
		themes: ['sociale-cohesie'],
		description: 'Maandelijks repareren vrijwilligers samen met buurtbewoners kapotte spullen.',
		initiator: 'Stichting Repareren Doe Je Samen',
		support: 'Vijftien vrijwilligers en een vaste locatie in het buurthuis.'
	},
	{
		title: 'Kerstmarkt op het plein',
		theme: 'sociale-cohesie',
		themes: ['economie'],
		description: 'Een kleinschalige kerstmarkt met lokale ondernemers en een koor uit de wijk.',
		initiator: 'Winkeliersvereniging {buurt}',
		support: 'Twaalf ondernemers doen mee.'
	},
	{
		title: 'Jeu-de-boulesbaan bij het buurthuis',
		theme: 'cultuur-sport',
		themes: ['sociale-cohesie'],
		description: 'Een baan om elkaar te ontmoeten, jong en oud.',
		initiator: 'Ouderenvereniging {buurt}',
		support: '60 leden en instemming van het buurthuis.'
	},
	{
		title: 'Buurtbibliotheekje {straat}',
		theme: 'cultuur-sport',
		description: 'Een kastje waar bewoners boeken ruilen.',
		initiator: 'Bewoners {straat}',
		support: 'Omwonenden hebben ingestemd met de plek.'
	},
	{
		title: 'Huiswerkbegeleiding in de buurt',
		theme: 'jeugd-onderwijs',
		themes: ['zorg-welzijn'],
		description: 'Studenten helpen scholieren twee middagen per week met hun huiswerk.',
		initiator: 'Studentenvereniging Buurtmaatjes',
		support: 'Twee basisscholen verwijzen leerlingen door.'
	},
	{
		title: 'Opschoondag {buurt}',
		theme: 'openbare-ruimte',
		themes: ['sociale-cohesie'],
		description: 'Met prikkers en vuilniszakken de buurt door, afgesloten met soep.',
		initiator: 'Zwerfvuilbrigade {buurt}',
		support: '35 aanmeldingen vorig jaar.'
	},
	{
		title: 'Buurtbarbecue voor nieuwe bewoners',
		theme: 'sociale-cohesie',
		description: 'Kennismaken met de nieuwe bewoners van de flats.',
		initiator: 'Huurdersvereniging {buurt}',
		support: 'Woningcorporatie draagt bij in natura.'
	},
	{
		title: 'Zonnepanelen op het buurthuis',
		theme: 'duurzaamheid',
		description: 'Een energiecoöperatie van bewoners legt panelen op het dak van het buurthuis.',
		initiator: 'Energiecoöperatie {buurt}',
		support: '80 deelnemers met een certificaat.'
	},
	{
		title: 'Schaakclub voor jongeren',
		theme: 'jeugd-onderwijs',
		themes: ['cultuur-sport'],
		description: 'Wekelijkse schaakles voor kinderen van 8 tot 14 jaar.',
		initiator: 'Schaakvereniging De Toren',
		support: 'Twintig kinderen op de wachtlijst.'
	},
	{
		title: 'Ontmoetingsbankjes bij de speeltuin',
		theme: 'openbare-ruimte',
		themes: ['zorg-welzijn'],
		description: 'Bankjes zodat ouderen en ouders met kinderen elkaar ontmoeten.',
		initiator: 'Bewonerscommissie {buurt}',
		support: 'Instemming van de speeltuinvereniging.'
	}
];

export const REJECTION_REASONS = [
	'Het initiatief past niet binnen de regels van het initiatievenfonds: het gaat om een commerciële activiteit.',
	'Voor deze plek is al een herinrichting gepland; we nemen het idee mee in dat project.',
	'Het gevraagde bedrag is hoger dan het maximum van het wijkbudget.'
];

export interface ProjectText {
	title: string;
	theme: string;
	themes?: string[];
	description: string;
	department: string;
	shape: 'line' | 'polygon' | 'point';
}

export const PROJECTS: readonly ProjectText[] = [
	{
		title: 'Herinrichting {straat}',
		theme: 'verkeer',
		themes: ['groen-water'],
		description:
			'De {straat} wordt opnieuw ingericht: meer ruimte voor voetgangers en fietsers, minder parkeerplaatsen en nieuwe bomen.',
		department: 'Stedelijke Ontwikkeling',
		shape: 'line'
	},
	{
		title: 'Fietsstraat {straat}',
		theme: 'verkeer',
		description: 'De {straat} wordt een fietsstraat met rood asfalt; de auto is er te gast.',
		department: 'Mobiliteit',
		shape: 'line'
	},
	{
		title: 'Vervanging riolering {straat}',
		theme: 'openbare-ruimte',
		themes: ['duurzaamheid'],
		description: 'Het riool wordt vervangen en regenwater wordt apart afgevoerd.',
		department: 'Stadsbeheer',
		shape: 'line'
	},
	{
		title: 'Vergroening schoolplein {buurt}',
		theme: 'jeugd-onderwijs',
		themes: ['groen-water', 'duurzaamheid'],
		description: 'Het stenen schoolplein wordt een groen speelplein dat ook na schooltijd open is.',
		department: 'Maatschappelijke Ontwikkeling',
		shape: 'polygon'
	},
	{
		title: 'Buurtpark {buurt} opnieuw ingericht',
		theme: 'groen-water',
		themes: ['cultuur-sport'],
		description: 'Meer bomen, een wadi voor regenwater en een nieuw trapveldje.',
		department: 'Stadsbeheer',
		shape: 'polygon'
	},
	{
		title: 'Nieuwbouw woningen {buurt}',
		theme: 'wonen-bouwen',
		description:
			'Op de plek van het oude bedrijventerrein komen ongeveer 180 woningen, waarvan een derde sociale huur.',
		department: 'Ruimtelijke Ordening',
		shape: 'polygon'
	},
	{
		title: 'Renovatie speeltuin {straat}',
		theme: 'jeugd-onderwijs',
		description: 'Nieuwe speeltoestellen, gekozen samen met kinderen uit de buurt.',
		department: 'Stadsbeheer',
		shape: 'point'
	},
	{
		title: 'Klimaatadaptatie {buurt}: wadi’s en groene daken',
		theme: 'duurzaamheid',
		themes: ['groen-water'],
		description: 'Maatregelen tegen wateroverlast en hitte in de wijk.',
		department: 'Stedelijke Ontwikkeling',
		shape: 'polygon'
	},
	{
		title: 'Verbouwing wijkcentrum {buurt}',
		theme: 'zorg-welzijn',
		themes: ['sociale-cohesie'],
		description:
			'Het wijkcentrum krijgt een huiskamer, spreekruimtes voor het buurtteam en een toegankelijke entree.',
		department: 'Maatschappelijke Ontwikkeling',
		shape: 'point'
	},
	{
		title: 'Snelheidsremmende maatregelen {straat}',
		theme: 'veiligheid',
		themes: ['verkeer'],
		description: 'Drempels en een smallere rijbaan om hard rijden tegen te gaan.',
		department: 'Mobiliteit',
		shape: 'line'
	}
];

export const CONTACT_ROLES = [
	'omgevingsmanager',
	'projectleider',
	'wijkadviseur',
	'gebiedscoördinator'
];

export const PROJECT_UPDATES: Record<string, readonly string[]> = {
	verkenning: ['Het project is gestart. We inventariseren wensen en knelpunten in de buurt.'],
	ontwerp: [
		'Op basis van de reacties is een voorlopig ontwerp gemaakt. Reageren kan tot het einde van de maand.',
		'Het definitief ontwerp is klaar en staat online.'
	],
	besluitvorming: [
		'Het college heeft het ontwerp vastgesteld; de gemeenteraad besluit over het krediet.'
	],
	uitvoering: [
		'De werkzaamheden zijn begonnen. Omwonenden hebben een brief ontvangen over de planning.',
		'De aannemer ligt op schema; de straat is tijdelijk afgesloten voor autoverkeer.'
	],
	opgeleverd: ['Het project is opgeleverd. Dank aan alle bewoners die hebben meegedacht.']
};

export const INITIATIVE_UPDATES: Record<string, readonly string[]> = {
	idee: ['Het idee is aangemeld bij het wijkbureau.'],
	aangevraagd: ['De aanvraag is ontvangen en wordt beoordeeld door de wijkadviseur.'],
	toegekend: [
		'De aanvraag is toegekend. De initiatiefnemers ontvangen het bedrag in twee termijnen.'
	],
	in_uitvoering: ['De initiatiefnemers zijn aan de slag gegaan.'],
	afgerond: ['Het initiatief is afgerond; de verantwoording is ontvangen.']
};

export interface EventText {
	title: string;
	type: string;
	participation: string;
	theme: string;
	description: string;
	influence: string;
}

export const EVENTS: readonly EventText[] = [
	{
		title: 'Wijkraadpleging {buurt}: wat vindt u belangrijk?',
		type: 'wijkraadpleging',
		participation: 'raadplegen',
		theme: 'sociale-cohesie',
		description: 'Praat mee over de prioriteiten voor het wijkactieprogramma van volgend jaar.',
		influence:
			'De uitkomsten bepalen mee welke onderwerpen in het wijkactieprogramma komen; het budget is al vastgesteld.'
	},
	{
		title: 'Informatieavond herinrichting {straat}',
		type: 'informatieavond',
		participation: 'informeren',
		theme: 'verkeer',
		description: 'Het projectteam laat het ontwerp zien en beantwoordt vragen.',
		influence:
			'Het ontwerp is vastgesteld; u kunt meedenken over de uitvoering en de bereikbaarheid tijdens de werkzaamheden.'
	},
	{
		title: 'Inloopspreekuur wijkbureau',
		type: 'inloop',
		participation: 'informeren',
		theme: 'zorg-welzijn',
		description: 'Loop binnen met vragen over uw buurt, zonder afspraak.',
		influence: 'Geen besluitvorming; vragen en signalen gaan naar het juiste team.'
	},
	{
		title: 'Werksessie speelplek {straat}',
		type: 'werksessie',
		participation: 'coproduceren',
		theme: 'jeugd-onderwijs',
		description:
			'Kinderen en ouders ontwerpen samen met de landschapsarchitect de nieuwe speelplek.',
		influence: 'Binnen het budget van € 85.000 kiest de werkgroep de toestellen en de indeling.'
	},
	{
		title: 'Wijkschouw {buurt}',
		type: 'wijkschouw',
		participation: 'adviseren',
		theme: 'openbare-ruimte',
		description: 'Samen met de wijkbeheerder lopen we door de buurt en noteren we wat beter kan.',
		influence: 'De wijkbeheerder neemt de punten op in de onderhoudsplanning.'
	},
	{
		title: 'Buurtgesprek veiligheid {buurt}',
		type: 'buurtgesprek',
		participation: 'adviseren',
		theme: 'veiligheid',
		description: 'Met de wijkagent en de handhavers in gesprek over veiligheid in de buurt.',
		influence: 'Uw advies weegt mee bij de inzet van handhaving in het komende half jaar.'
	},
	{
		title: 'Wijkbudget {buurt}: bewoners beslissen',
		type: 'wijkraadpleging',
		participation: 'meebeslissen',
		theme: 'sociale-cohesie',
		description: 'Bewoners stemmen over de besteding van het wijkbudget.',
		influence: 'De uitslag van de stemming is bindend voor € 50.000 van het wijkbudget.'
	},
	{
		title: 'Informatieavond nieuwbouw {buurt}',
		type: 'informatieavond',
		participation: 'raadplegen',
		theme: 'wonen-bouwen',
		description: 'De ontwikkelaar en de gemeente presenteren het stedenbouwkundig plan.',
		influence:
			'Reacties worden meegenomen in het bestemmingsplan; hoogte en aantal woningen liggen vast.'
	}
];

export const VENUES = [
	'Buurthuis De Schakel',
	'Wijkcentrum De Brug',
	'Bibliotheek',
	'Basisschool De Regenboog',
	'Sporthal',
	'Kerkzaal',
	'Wijkbureau'
];

export const ORGANISERS = [
	'Wijkbureau',
	'Gemeente, team Wijken',
	'Wijkplatform',
	'Projectteam Stedelijke Ontwikkeling',
	'Bewonersorganisatie'
];

/** Street names for a made-up town, where no street data exists. */
export const INVENTED_STREETS = [
	'Molenstraat',
	'Kerkweg',
	'Dorpsstraat',
	'Lindelaan',
	'Beukenlaan',
	'Schoolstraat',
	'Stationsweg',
	'Havenkade',
	'Julianastraat',
	'Oranjelaan',
	'Rozengracht',
	'Vondellaan',
	'Bilderdijkstraat',
	'Populierenweg',
	'Marktplein',
	'Nieuwe Gracht',
	'Zandpad',
	'Vlietweg',
	'Eikenlaan',
	'Spoorlaan',
	'Graaf Florisstraat',
	'Prinsengracht',
	'Mauritsstraat',
	'Weidelaan',
	'Hoflaan',
	'Bakkerstraat',
	'Torenlaan',
	'Sluiskade',
	'Zuiderpark',
	'Dreef'
];
