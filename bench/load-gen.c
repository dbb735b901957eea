/*
 * Realistic cases for the load benchmark, drawn from a seed: titles and
 * narratives in English, French and Spanish about the kinds of case the
 * four units receive, a mix of categories (or none, so that the words
 * decide), some anonymous, some about a unit's own staff, some carrying a
 * receipt drawn by the client.  The sentences are written for the
 * benchmark; neutral ones pad a narrative to its drawn size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypt.h"
#include "json.h"
#include "load.h"

#define LG_LANGS 3

struct lg_theme {
	const char *name;
	const char *category;
	const char *const *titles[LG_LANGS];
	const char *const *lines[LG_LANGS];
};

/* --- harassment and other misconduct: ethics --- */
static const char *const harass_t_en[] = {"Harassment by my supervisor",
    "Repeated humiliation in team calls", "Bullying in the field office",
    "Hostile behaviour of the head of section", NULL};
static const char *const harass_t_fr[] = {"Harcèlement de la part de ma cheffe",
    "Humiliations répétées en réunion", "Intimidation au bureau de terrain",
    "Comportement abusif du chef de section", NULL};
static const char *const harass_t_es[] = {"Acoso por parte de mi supervisor",
    "Humillaciones repetidas en las reuniones", "Intimidación en la oficina",
    "Conducta abusiva del jefe de sección", NULL};
static const char *const harass_en[] = {
    "My supervisor shouts at me and insults me in front of colleagues.",
    "He keeps belittling my work and humiliates me during the weekly calls.",
    "The head of section has created a hostile work environment for the "
    "national staff.",
    "I feel intimidated every time I have to present the figures to her.",
    "Several of us have been bullied for months and nobody dares to say it.",
    "He makes racist remarks about colleagues from the region.",
    "She treats some staff with obvious favouritism and the others with "
    "contempt.",
    "This is an abuse of authority and it breaches the standards of "
    "conduct.",
    NULL};
static const char *const harass_fr[] = {
    "Ma cheffe me crie dessus et m'insulte devant les collègues.",
    "Il dénigre mon travail et me humilie pendant les appels "
    "hebdomadaires.",
    "Le chef de section entretient un environnement de travail hostile.",
    "Je me sens intimidée chaque fois que je dois présenter les chiffres.",
    "Plusieurs d'entre nous subissent ce harcèlement depuis des mois.",
    "Il tient des propos racistes sur les collègues de la région.",
    "Elle pratique un favoritisme évident dans la répartition des tâches.",
    "Il s'agit d'un abus d'autorité contraire aux normes de conduite.", NULL};
static const char *const harass_es[] = {
    "Mi supervisor me grita y me insulta delante de los compañeros.",
    "Humilla a los colegas en cada reunión y nadie se atreve a decir nada.",
    "El jefe de sección ha creado un entorno de trabajo hostil.",
    "Me siento intimidada cada vez que tengo que presentar las cifras.",
    "Varios de nosotros sufrimos este acoso desde hace meses.",
    "Hace comentarios racistas sobre los colegas de la región.",
    "Trata a algunos con favoritismo evidente y a otros con desprecio.",
    "Se trata de un abuso de autoridad contrario a las normas de conducta.",
    NULL};

/* --- fraud: inspector-general --- */
static const char *const fraud_t_en[] = {"Kickbacks in procurement",
    "Fake invoices for fuel", "Misuse of project funds",
    "Possible bid rigging in the warehouse tender", NULL};
static const char *const fraud_t_fr[] = {"Pots-de-vin dans les achats",
    "Fausses factures de carburant", "Détournement de fonds du projet",
    "Marché truqué pour l'entrepôt", NULL};
static const char *const fraud_t_es[] = {"Sobornos en las compras",
    "Facturas falsas de combustible", "Desvío de fondos del proyecto",
    "Licitación amañada del almacén", NULL};
static const char *const fraud_en[] = {
    "The procurement assistant receives kickbacks from one of the "
    "suppliers.",
    "I have seen invoices for fuel that was never delivered to the "
    "sub-office.",
    "Project funds were used for personal purposes, including a car for "
    "his family.",
    "The evaluation of the tender was manipulated so that the same company "
    "won again.",
    "Several ghost employees are on the payroll of the distribution "
    "programme.",
    "Stock is missing from the warehouse and the records were falsified.",
    "The prices on the purchase orders are inflated by about thirty "
    "percent.",
    "I believe this is fraud and a waste of resources meant for the "
    "programme.",
    NULL};
static const char *const fraud_fr[] = {
    "L'assistant aux achats reçoit des pots-de-vin d'un fournisseur.",
    "J'ai vu des factures de carburant qui n'a jamais été livré.",
    "Les fonds du projet ont été détournés à des fins personnelles.",
    "L'évaluation de l'appel d'offres a été truquée pour la même société.",
    "Des employés fictifs figurent sur la liste de paie du programme.",
    "Du matériel a disparu du stock et les registres ont été falsifiés.",
    "Les prix des bons de commande sont gonflés d'environ trente pour "
    "cent.",
    "Je pense qu'il s'agit d'une fraude et d'un gaspillage des ressources.",
    NULL};
static const char *const fraud_es[] = {
    "El asistente de compras recibe sobornos de uno de los proveedores.",
    "He visto facturas falsas de combustible que nunca se entregó.",
    "Los fondos del proyecto se usaron para fines personales.",
    "La licitación fue amañada para que ganara otra vez la misma empresa.",
    "Hay empleados fantasma en la nómina del programa de distribución.",
    "Faltan bienes en el almacén y los registros fueron falsificados.",
    "Los precios de las órdenes de compra tienen un sobreprecio del "
    "treinta por ciento.",
    "Creo que se trata de un fraude y de un despilfarro de recursos.", NULL};

/* --- conflicts of interest: ethics --- */
static const char *const coi_t_en[] = {"Possible conflict of interest",
    "Gifts from a vendor", "Outside activity of a manager",
    "Advice on a board membership", NULL};
static const char *const coi_t_fr[] = {"Conflit d'intérêts possible",
    "Cadeaux d'un fournisseur", "Activité extérieure d'un responsable",
    "Conseil sur un conseil d'administration", NULL};
static const char *const coi_t_es[] = {"Posible conflicto de intereses",
    "Regalos de un proveedor", "Actividad externa de un gerente",
    "Consulta sobre una junta directiva", NULL};
static const char *const coi_en[] = {
    "My manager sits on the board of directors of a company that bids for "
    "our contracts.",
    "The unit chief accepted gifts and hospitality from a vendor last "
    "year.",
    "I have been offered a paid trip by a partner and I am not sure I can "
    "accept.",
    "A close relative of the selection panel chair applied for the post.",
    "I would like advice on outside employment as a university lecturer.",
    "He holds shares in the consultancy that was hired without any "
    "declaration of interests.",
    NULL};
static const char *const coi_fr[] = {
    "Mon responsable siège au conseil d'administration d'une société "
    "soumissionnaire.",
    "Le chef d'unité a accepté des cadeaux et l'hospitalité d'un "
    "fournisseur.",
    "On m'a proposé un voyage payé et je ne sais pas si je peux "
    "l'accepter.",
    "Un proche parent du président du jury a postulé au poste.",
    "Je souhaite un avis sur une activité extérieure d'enseignement.",
    "Il n'a fait aucune déclaration d'intérêts avant de choisir ce "
    "cabinet.",
    NULL};
static const char *const coi_es[] = {
    "Mi gerente forma parte de la junta directiva de una empresa que "
    "licita.",
    "El jefe de unidad aceptó regalos y hospitalidad de un proveedor.",
    "Me ofrecieron un viaje pagado y no sé si puedo aceptarlo.",
    "Un familiar cercano del presidente del comité se presentó al puesto.",
    "Quisiera orientación sobre una actividad externa como docente.",
    "No presentó ninguna declaración de intereses antes de elegir la "
    "consultora.",
    NULL};

/* --- data protection: legal --- */
static const char *const data_t_en[] = {"Personal data sent to the wrong "
                                        "recipient",
    "Data breach in the registration system", "Privacy of beneficiaries",
    "Leak of medical records", NULL};
static const char *const data_t_fr[] = {"Données personnelles envoyées par "
                                        "erreur",
    "Fuite de données du système d'enregistrement",
    "Vie privée des "
    "bénéficiaires",
    "Dossiers médicaux divulgués", NULL};
static const char *const data_t_es[] = {"Datos personales enviados por error",
    "Filtración de datos del sistema de registro",
    "Privacidad de los "
    "beneficiarios",
    "Expedientes médicos divulgados", NULL};
static const char *const data_en[] = {
    "A spreadsheet with the personal data of beneficiaries was sent to the "
    "wrong recipient.",
    "The registration database was hacked and phone numbers were "
    "published.",
    "Fingerprints and passport scans are kept on a shared drive that "
    "anyone can open.",
    "Medical records of staff were shared without their consent.",
    "I am worried about the privacy of the people we register every day.",
    "This looks like a data breach that the data protection focal point "
    "should know about.",
    NULL};
static const char *const data_fr[] = {
    "Un tableau contenant les données personnelles de bénéficiaires a été "
    "envoyé par erreur.",
    "La base d'enregistrement a subi un piratage et des numéros de "
    "téléphone circulent.",
    "Les empreintes digitales sont conservées sur un disque partagé.",
    "Des dossiers médicaux ont été transmis sans leur consentement.",
    "Je m'inquiète pour la vie privée des personnes enregistrées.",
    "Il s'agit d'une violation de données qui relève de la protection des "
    "données.",
    NULL};
static const char *const data_es[] = {
    "Una hoja con los datos personales de beneficiarios se envió a otra "
    "persona.",
    "La base de registro sufrió un hackeo y se publicaron números de "
    "teléfono.",
    "Las huellas dactilares se guardan en una carpeta compartida.",
    "Se compartieron expedientes médicos sin su consentimiento.",
    "Me preocupa la privacidad de las personas que registramos.",
    "Parece una filtración de datos que debe conocer protección de datos.",
    NULL};

/* --- workplace disputes: ombudsperson --- */
static const char *const work_t_en[] = {"Disagreement with my supervisor",
    "Tension in the team", "Request for mediation",
    "Workload and working hours", NULL};
static const char *const work_t_fr[] = {"Désaccord avec mon superviseur",
    "Relations difficiles dans l'équipe", "Demande de médiation",
    "Charge de travail et horaires", NULL};
static const char *const work_t_es[] = {"Desacuerdo con mi supervisora",
    "Tensiones en el equipo", "Solicitud de mediación",
    "Carga de trabajo y horarios", NULL};
static const char *const work_en[] = {
    "I have a disagreement with my supervisor about my workload that we "
    "cannot solve.",
    "There is tension between the two teams since the restructuring.",
    "I would like to talk it through informally with someone neutral.",
    "We no longer speak to each other and the misunderstanding keeps "
    "growing.",
    "Could the ombudsperson help us with mediation before it gets worse?",
    "My working hours changed without any discussion and I disagree with "
    "the plan.",
    NULL};
static const char *const work_fr[] = {
    "J'ai un désaccord avec mon superviseur sur ma charge de travail.",
    "Il y a des relations difficiles entre les deux équipes depuis la "
    "réorganisation.",
    "Je voudrais en parler de manière informelle avec une personne "
    "neutre.",
    "Le malentendu grandit et nous ne nous parlons plus.",
    "Une médiation pourrait nous aider avant que la situation ne "
    "s'aggrave.",
    "Mes horaires ont changé sans discussion et je ne suis pas d'accord.",
    NULL};
static const char *const work_es[] = {
    "Tengo un desacuerdo con mi supervisora sobre mi carga de trabajo.",
    "Hay tensiones entre los dos equipos desde la reestructuración.",
    "Quisiera hablarlo de manera informal con alguien neutral.",
    "El malentendido crece y ya no nos hablamos.",
    "Una mediación podría ayudarnos antes de que empeore.",
    "Cambiaron mis horarios sin consultarme y no estoy de acuerdo.", NULL};

/* --- retaliation: ethics --- */
static const char *const retal_t_en[] = {"Retaliation after my complaint",
    "Contract not renewed after reporting", "Reprisal for testifying", NULL};
static const char *const retal_t_fr[] = {"Représailles après mon signalement",
    "Contrat non renouvelé après ma plainte",
    "Rétorsion après mon "
    "témoignage",
    NULL};
static const char *const retal_t_es[] = {"Represalias tras mi denuncia",
    "Contrato no renovado tras denunciar", "Represalia por testificar", NULL};
static const char *const retal_en[] = {
    "After I reported the irregular payments, my contract was not "
    "renewed.",
    "Since I testified in the investigation I have been excluded from "
    "every meeting.",
    "I believe this is retaliation because I filed a complaint last "
    "spring.",
    "My manager threatened to transfer me after I raised concerns.", NULL};
static const char *const retal_fr[] = {
    "Après avoir signalé les paiements irréguliers, mon contrat n'a pas "
    "été renouvelé.",
    "Depuis que j'ai témoigné, j'ai été mise à l'écart de toutes les "
    "réunions.",
    "Je pense qu'il s'agit de représailles parce que j'ai déposé une "
    "plainte.",
    "Mon responsable m'a menacé de mutation pour avoir signalé ces "
    "faits.",
    NULL};
static const char *const retal_es[] = {
    "Después de que denuncié los pagos, no renovaron mi contrato.",
    "Desde que testifiqué en la investigación me excluyeron de todo.",
    "Creo que son represalias porque presenté una queja en primavera.",
    "Mi jefe me amenazó con trasladarme por haber denunciado.", NULL};

/* --- legal questions: legal --- */
static const char *const legal_t_en[] = {"Lawsuit by a contractor",
    "Question on privileges and immunities",
    "Breach of contract by the "
    "landlord",
    NULL};
static const char *const legal_t_fr[] = {"Action en justice d'un prestataire",
    "Question sur les privilèges et immunités",
    "Rupture de contrat du "
    "bailleur",
    NULL};
static const char *const legal_t_es[] = {"Demanda judicial de un contratista",
    "Consulta sobre privilegios e inmunidades",
    "Incumplimiento de contrato "
    "del arrendador",
    NULL};
static const char *const legal_en[] = {
    "A contractor has threatened legal action over the unpaid balance.",
    "The host government wants to tax our vehicles despite the host "
    "country agreement.",
    "The landlord of the guest house is in breach of contract.",
    "We need a legal opinion on the immunity of a driver who was "
    "detained.",
    NULL};
static const char *const legal_fr[] = {
    "Un prestataire menace d'une action en justice pour le solde impayé.",
    "Le gouvernement hôte veut taxer nos véhicules malgré l'accord de "
    "siège.",
    "Le bailleur de la maison d'hôtes est en rupture de contrat.",
    "Nous avons besoin d'un avis juridique sur l'immunité d'un chauffeur "
    "détenu.",
    NULL};
static const char *const legal_es[] = {
    "Un contratista amenaza con una demanda judicial por el saldo.",
    "El gobierno anfitrión quiere cobrar impuestos pese al acuerdo de "
    "sede.",
    "El arrendador de la casa de huéspedes incurre en incumplimiento de "
    "contrato.",
    "Necesitamos una opinión jurídica sobre la inmunidad de un chofer "
    "detenido.",
    NULL};

static const struct lg_theme lg_themes[] = {
    {"harassment", "misconduct", {harass_t_en, harass_t_fr, harass_t_es},
        {harass_en, harass_fr, harass_es}},
    {"fraud", "fraud", {fraud_t_en, fraud_t_fr, fraud_t_es},
        {fraud_en, fraud_fr, fraud_es}},
    {"conflict-of-interest", "conflict-of-interest",
        {coi_t_en, coi_t_fr, coi_t_es}, {coi_en, coi_fr, coi_es}},
    {"data-protection", "data-protection", {data_t_en, data_t_fr, data_t_es},
        {data_en, data_fr, data_es}},
    {"workplace-dispute", "workplace-dispute",
        {work_t_en, work_t_fr, work_t_es}, {work_en, work_fr, work_es}},
    {"retaliation", "retaliation", {retal_t_en, retal_t_fr, retal_t_es},
        {retal_en, retal_fr, retal_es}},
    {"legal", "legal", {legal_t_en, legal_t_fr, legal_t_es},
        {legal_en, legal_fr, legal_es}},
};
#define LG_NTHEMES (sizeof lg_themes / sizeof lg_themes[0])

/* Neutral context: none of it names a kind of case. */
static const char *const neutral_en[] = {
    "This started in March, shortly after the new budget cycle.",
    "I have worked at the country office for six years.",
    "The office is small and everybody knows everybody else.",
    "I am writing this after a long reflection.",
    "The unit has nine members and two of them are on leave.",
    "Most of the discussions happen on the phone or by email.",
    "I kept notes of the dates and of what was said.",
    "Two colleagues saw what happened and can confirm it.",
    "The regional director visited the office in May.",
    "We prepare the quarterly report together every three months.",
    "I do not know whether this is the right channel for this.",
    "Please let me know what information you need from me.", NULL};
static const char *const neutral_fr[] = {
    "Cela a commencé en mars, peu après le nouveau cycle budgétaire.",
    "Je travaille au bureau de pays depuis six ans.",
    "Le bureau est petit et tout le monde se connaît.",
    "J'écris ceci après une longue réflexion.",
    "L'unité compte neuf personnes, dont deux sont en congé.",
    "La plupart des échanges ont lieu au téléphone ou par courriel.",
    "J'ai noté les dates et ce qui a été dit.",
    "Deux collègues ont vu ce qui s'est passé et peuvent le confirmer.",
    "La directrice régionale est venue au bureau en mai.",
    "Nous préparons ensemble le rapport trimestriel.",
    "Je ne sais pas si c'est le bon canal pour cela.",
    "Dites-moi de quelles informations vous avez besoin.", NULL};
static const char *const neutral_es[] = {
    "Esto empezó en marzo, poco después del nuevo ciclo presupuestario.",
    "Trabajo en la oficina del país desde hace seis años.",
    "La oficina es pequeña y todos nos conocemos.",
    "Escribo esto después de pensarlo mucho.",
    "La unidad tiene nueve personas y dos están de vacaciones.",
    "La mayoría de las conversaciones son por teléfono o por correo.",
    "Anoté las fechas y lo que se dijo.",
    "Dos compañeros vieron lo que pasó y pueden confirmarlo.",
    "La directora regional visitó la oficina en mayo.",
    "Preparamos juntos el informe trimestral.",
    "No sé si este es el canal adecuado.",
    "Díganme qué información necesitan de mi parte.", NULL};
static const char *const *const lg_neutral[LG_LANGS] = {
    neutral_en, neutral_fr, neutral_es};
static const char *const lg_langs[LG_LANGS] = {"en", "fr", "es"};
static const char *const lg_units[] = {
    "ethics", "ombudsperson", "inspector-general", "legal", "other"};

uint64_t
lg_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

static size_t
lg_count(const char *const *list)
{
	size_t n = 0;

	while (list[n] != NULL)
		n++;
	return n;
}

static const char *
lg_pick(const char *const *list, uint64_t *st)
{
	return list[lg_next(st) % lg_count(list)];
}

static void *
lg_alloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL) {
		fprintf(stderr, "bench_load: out of memory\n");
		exit(1);
	}
	return p;
}

/* A narrative of exactly size bytes (whole sentences, then spaces): the
 * theme's sentences among neutral ones, one theme sentence first. */
static char *
lg_narrative(const struct lg_theme *t, int lang, size_t size, uint64_t *st)
{
	char *buf = lg_alloc(size + 1);
	size_t used = 0, n;
	const char *s;
	int first = 1;

	while (used < size) {
		if (first || lg_next(st) % 3 == 0)
			s = lg_pick(t->lines[lang], st);
		else
			s = lg_pick(lg_neutral[lang], st);
		first = 0;
		n = strlen(s);
		if (used + n + 1 > size)
			break;
		memcpy(buf + used, s, n);
		used += n;
		buf[used++] = (lg_next(st) % 5 == 0) ? '\n' : ' ';
	}
	memset(buf + used, ' ', size - used);
	buf[size] = '\0';
	if (size > 0 && used == 0)
		memset(buf, '.', size); /* a size below one sentence */
	return buf;
}

static const char *
lg_category(const struct lg_theme *t, uint64_t *st)
{
	uint64_t r = lg_next(st) % 10;

	if (r < 4)
		return NULL; /* the words decide */
	if (r < 9)
		return t->category;
	return lg_themes[lg_next(st) % LG_NTHEMES].category; /* misfiled */
}

/* The daemon's content document, near enough in size: what the floor and
 * the filler encrypt. */
static void
lg_content(struct lg_case *c)
{
	json_t *doc = json_pack("{s:s, s:s, s:s, s:{s:s, s:i}, s:{s:s, s:[s]}}",
	    "title", c->title, "narrative", c->narrative, "language",
	    c->language, "submitter", "user", "bench-staff", "uid", 1000,
	    "routing", "rule", "content-misconduct", "matched", c->theme);

	c->content = json_dump_compact(doc);
	c->content_len = strlen(c->content);
	json_decref(doc);
}

static void
lg_case_make(struct lg_case *c, uint64_t *st, size_t min, size_t max)
{
	const struct lg_theme *t = &lg_themes[lg_next(st) % LG_NTHEMES];
	int lang = (int)(lg_next(st) % LG_LANGS);
	size_t size = min + (max > min ? lg_next(st) % (max - min + 1) : 0);
	json_t *body;
	char pad[LG_B64_LEN + 1];

	memset(c, 0, sizeof *c);
	c->theme = t->name;
	c->language = lg_langs[lang];
	c->title = strdup(lg_pick(t->titles[lang], st));
	c->narrative = lg_narrative(t, lang, size, st);
	c->narrative_len = size;
	c->category = lg_category(t, st);
	if (lg_next(st) % 12 == 0)
		c->subject_office = lg_units[lg_next(st) % 5];
	c->anonymous = lg_next(st) % 5 == 0;
	c->receipt = lg_next(st) % 4 == 0;
	body = json_pack("{s:s, s:s, s:b}", "title", c->title, "narrative",
	    c->narrative, "anonymous", c->anonymous);
	if (c->category != NULL)
		json_object_set_new(body, "category", json_string(c->category));
	if (c->subject_office != NULL)
		json_object_set_new(
		    body, "subject_office", json_string(c->subject_office));
	if (lg_next(st) % 10 < 7)
		json_object_set_new(body, "language", json_string(c->language));
	if (c->receipt) {
		/* Placeholders, replaced by a fresh receipt at each send:
		 * the daemon refuses a receipt used twice. */
		char lk[LG_B64_LEN + 1], ver[LG_B64_LEN + 1];

		memset(lk, 'L', LG_B64_LEN);
		memset(ver, 'V', LG_B64_LEN);
		memset(pad, 'P', LG_B64_LEN);
		lk[LG_B64_LEN] = ver[LG_B64_LEN] = pad[LG_B64_LEN] = '\0';
		/* Valid base64 of 32 bytes already, for --dump. */
		memcpy(lk + LG_B64_LEN - 2, "A=", 2);
		memcpy(ver + LG_B64_LEN - 2, "A=", 2);
		memcpy(pad + LG_B64_LEN - 2, "A=", 2);
		json_object_set_new(body, "receipt",
		    json_pack("{s:s, s:s, s:s}", "lookup", lk, "verifier", ver,
		        "public_key", pad));
	}
	c->body = json_dump_compact(body);
	c->body_len = strlen(c->body);
	json_decref(body);
	lg_content(c);
	if (c->title == NULL) {
		fprintf(stderr, "bench_load: out of memory\n");
		exit(1);
	}
}

void
lg_pool_make(struct lg_pool *p, size_t n, uint64_t seed, size_t min, size_t max)
{
	uint64_t st = seed ? seed : 0x9e3779b97f4a7c15ULL;

	p->c = lg_alloc(n * sizeof *p->c);
	p->n = n;
	for (size_t i = 0; i < n; i++)
		lg_case_make(&p->c[i], &st, min, max);
}

void
lg_pool_free(struct lg_pool *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->c[i].title);
		free(p->c[i].narrative);
		free(p->c[i].body);
		free(p->c[i].content);
	}
	free(p->c);
	p->c = NULL;
	p->n = 0;
}
